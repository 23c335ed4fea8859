package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A record the pipeline could not accept, kept with everything needed to find and replay it;
 * see {@code schemas/dead-letter.schema.json}.
 *
 * @param rawBase64 the record's value as received (cut to the size limit when it was too large,
 *     and to its first 512 KiB in any case, so that the dead letter fits one Kafka record;
 *     {@code rawTruncated} says so, and topic/partition/offset still point at the whole record)
 * @param error what was wrong, for a person to read
 * @param stage where it was rejected (e.g. {@code parse})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        String stage,
        String error,
        String topic,
        int partition,
        long offset,
        Instant recordTimestamp,
        String keyBase64,
        String rawBase64,
        boolean rawTruncated,
        int rawSize,
        Instant failedAt) {}
