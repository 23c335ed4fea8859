package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A record the pipeline could not accept, kept with everything needed to find and replay it;
 * see {@code schemas/dead-letter.schema.json}. A dead letter is bounded whatever its record: at
 * most {@link #MAX_RAW_BYTES} of the value, {@link #MAX_KEY_BYTES} of the key and
 * {@link #MAX_ERROR_CHARS} of error, well inside Kafka's default request size of 1 MiB, so writing
 * it can never fail the way its record did.
 *
 * @param error what was wrong, for a person to read
 * @param stage where it was rejected (e.g. {@code parse})
 * @param rawBase64 the record's value as received, cut to {@link #MAX_RAW_BYTES}
 * @param rawTruncated whether the value or the key was cut; topic/partition/offset still point at
 *     the whole record, which {@code dlq replay} reads back from Kafka
 * @param rawSize the size of the whole value
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
        Instant failedAt) {

    public static final int MAX_RAW_BYTES = 256 * 1024;
    public static final int MAX_KEY_BYTES = 4 * 1024;
    public static final int MAX_ERROR_CHARS = 2000;

    public DeadLetter {
        error = storableError(error);
    }

    /**
     * An error as every dead letter keeps it: an error may quote the record it is about, so it is
     * cut to {@link #MAX_ERROR_CHARS} and holds nothing a store cannot.
     */
    public static String storableError(String error) {
        return error == null ? "unknown error" : JsonFields.storable(
                error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS - 1) + "…");
    }

    /** The dead letter of one record: its key and value cut to the bounds above. */
    public static DeadLetter of(String stage, String error, String topic, int partition, long offset,
            Instant recordTimestamp, byte[] key, byte[] value, Instant failedAt) {
        byte[] raw = value == null ? new byte[0] : value;
        boolean truncated = raw.length > MAX_RAW_BYTES || key != null && key.length > MAX_KEY_BYTES;
        Base64.Encoder base64 = Base64.getEncoder();
        return new DeadLetter(
                stage,
                error,
                topic,
                partition,
                offset,
                recordTimestamp,
                key == null ? null : base64.encodeToString(key.length > MAX_KEY_BYTES ? Arrays.copyOf(key, MAX_KEY_BYTES) : key),
                base64.encodeToString(raw.length > MAX_RAW_BYTES ? Arrays.copyOf(raw, MAX_RAW_BYTES) : raw),
                truncated,
                raw.length,
                failedAt);
    }
}
