package io.tagstream.schemas.fuzz;

import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.kafka.ContractDeserializationSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Kafka records as the job's source hands them to {@link ContractDeserializationSchema}, and what it makes of them. */
public final class KafkaRecords {
    private KafkaRecords() {}

    /** A record of partition 0; a negative {@code timestamp} is a record without one. */
    public static ConsumerRecord<byte[], byte[]> record(String topic, long offset, long timestamp, byte[] key, byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset, timestamp,
                timestamp < 0 ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, new RecordHeaders(),
                Optional.empty());
    }

    /** Everything the schema emits for {@code record}: exactly one element, when it keeps its promise. */
    public static <T> List<Either<DeadLetter, T>> deserialize(ContractDeserializationSchema<T> schema,
            ConsumerRecord<byte[], byte[]> record) {
        List<Either<DeadLetter, T>> out = new ArrayList<>();
        schema.deserialize(record, collector(out));
        return out;
    }

    /** A collector that adds to {@code out}. */
    public static <E> Collector<E> collector(List<E> out) {
        return new Collector<>() {
            @Override
            public void collect(E element) {
                out.add(element);
            }

            @Override
            public void close() {}
        };
    }
}
