package io.tagstream.schemas.kafka;

import io.tagstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes any contract record as JSON to one topic, keyed so that all records of one content (or
 * tag) stay in one partition and in order.
 */
public final class JsonRecordSerializationSchema<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> key;

    public JsonRecordSerializationSchema(String topic, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String k = key.apply(element);
        return new ProducerRecord<>(
                topic, null, timestamp, k == null ? null : k.getBytes(StandardCharsets.UTF_8), Json.toBytes(element));
    }
}
