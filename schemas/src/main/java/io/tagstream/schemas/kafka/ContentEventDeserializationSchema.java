package io.tagstream.schemas.kafka;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentEventReader;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.IngestedContent;
import io.tagstream.schemas.InvalidRecordException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each Kafka record of {@code content.events} into an {@link IngestedContent}. It never
 * throws: a record that cannot be read becomes a {@link DeadLetter} with its raw bytes, the error
 * and its position, so one bad record can neither stop the source nor vanish.
 */
public final class ContentEventDeserializationSchema implements KafkaRecordDeserializationSchema<IngestedContent> {
    private static final long serialVersionUID = 1L;

    private final ContentEventReader reader;

    public ContentEventDeserializationSchema(int maxRecordBytes) {
        this.reader = new ContentEventReader(maxRecordBytes);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestedContent> out) {
        byte[] value = record.value();
        try {
            ContentEvent event = reader.read(value);
            out.collect(IngestedContent.valid(event));
        } catch (InvalidRecordException e) {
            out.collect(IngestedContent.rejected(deadLetter(record, e.getMessage())));
        } catch (RuntimeException e) {
            // A reader bug must not stop the source either; the record is kept for replay.
            out.collect(IngestedContent.rejected(deadLetter(record, "unexpected " + e)));
        }
    }

    private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String error) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        boolean truncated = value.length > reader.maxRecordBytes();
        byte[] kept = truncated ? Arrays.copyOf(value, reader.maxRecordBytes()) : value;
        Base64.Encoder base64 = Base64.getEncoder();
        return new DeadLetter(
                "parse",
                error,
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null,
                record.key() == null ? null : base64.encodeToString(record.key()),
                base64.encodeToString(kept),
                truncated,
                value.length,
                Instant.now(Clock.systemUTC()));
    }

    @Override
    public TypeInformation<IngestedContent> getProducedType() {
        return TypeInformation.of(IngestedContent.class);
    }
}
