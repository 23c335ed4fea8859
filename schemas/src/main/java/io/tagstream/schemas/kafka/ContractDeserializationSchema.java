package io.tagstream.schemas.kafka;

import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.InvalidRecordException;
import io.tagstream.schemas.JsonFields;
import io.tagstream.schemas.RecordReader;
import java.time.Clock;
import java.time.Instant;
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

    private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String error) {
        return DeadLetter.of(
                "parse",
                error,
                record.topic(),
                record.partition(),
                record.offset(),
                recordTime(record.timestamp()),
                record.key(),
                record.value(),
                Instant.now(Clock.systemUTC()));
    }

    /**
     * The record's Kafka timestamp, or {@code null} when it has none or one past
     * {@link JsonFields#LATEST}: Kafka keeps whatever time a producer sets, and such a time is a
     * clock or unit error that PostgreSQL may not hold (Long.MAX_VALUE ms is in the year 292278994,
     * its timestamps end in 294276), which would fail the dead letter's own sink.
     */
    private static Instant recordTime(long timestamp) {
        return timestamp >= 0 && timestamp < JsonFields.LATEST.toEpochMilli() ? Instant.ofEpochMilli(timestamp) : null;
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(DeadLetter.class), TypeInformation.of(type));
    }
}
