package io.tagstream.schemas.kafka;

import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.InvalidRecordException;
import io.tagstream.schemas.RecordReader;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each Kafka record of an input topic into either a valid contract record (right) or the
 * {@link DeadLetter} that says why it is not one (left). It never throws: a record that cannot be
 * read keeps its raw bytes, the error and its position, so one bad record can neither stop the
 * source nor vanish.
 */
public final class ContractDeserializationSchema<T> implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {
    private static final long serialVersionUID = 1L;

    /**
     * The most of a record's bytes a dead letter keeps. A dead letter goes to {@code content.dlq}
     * as one Kafka record, in base64 (a third larger): with the whole record of up to the default
     * limit of 1 MiB ({@code ingest.max-record-bytes}), or its first 1 MiB when it was larger, it
     * exceeded the producer's and the broker's default limit of 1 MB per record, the dead-letter
     * sink failed, and the job restarted in a loop on the same record. Half a MiB stays well under
     * it; a record cut here says so ({@code raw_truncated}) and is re-read whole from Kafka when
     * replayed.
     */
    public static final int MAX_KEPT_BYTES = 512 * 1024;

    private final RecordReader<T> reader;
    private final Class<T> type;

    public ContractDeserializationSchema(RecordReader<T> reader, Class<T> type) {
        this.reader = reader;
        this.type = type;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out) {
        try {
            out.collect(Either.Right(reader.read(record.value())));
        } catch (InvalidRecordException e) {
            out.collect(Either.Left(deadLetter(record, e.getMessage())));
        } catch (RuntimeException e) {
            // A reader bug must not stop the source either; the record is kept for replay.
            out.collect(Either.Left(deadLetter(record, "unexpected " + e)));
        }
    }

    private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String error) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        int keep = Math.min(reader.maxRecordBytes(), MAX_KEPT_BYTES);
        boolean truncated = value.length > keep;
        byte[] kept = truncated ? Arrays.copyOf(value, keep) : value;
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
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(DeadLetter.class), TypeInformation.of(type));
    }
}
