package io.tagstream.jobs;

import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.RecordReader;
import io.tagstream.schemas.kafka.ContractDeserializationSchema;
import io.tagstream.schemas.kafka.JsonRecordSerializationSchema;
import io.tagstream.sinks.postgres.PostgresSinks;
import io.tagstream.udfs.flink.RouteDeadLetters;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How every job reads a contract topic and writes JSON records and dead letters, so all jobs do it
 * the same way: valid records on, bad ones to {@code content.dlq} and {@code dead_letters}, output
 * exactly once. The command-line tools send their records to contract topics with {@link #producer}.
 */
public final class ContractTopics {
    private ContractTopics() {}

    /**
     * Reads one input topic: valid records come out, dead letters are added to {@code rejected}.
     * Uids derive from {@code name}, so each input keeps its state across upgrades.
     */
    public static <T> DataStream<T> read(StreamExecutionEnvironment env, TagstreamConfig config, String topicKey,
            RecordReader<T> reader, Class<T> type, String name, List<DataStream<DeadLetter>> rejected) {
        KafkaSource<Either<DeadLetter, T>> source = KafkaSource.<Either<DeadLetter, T>>builder()
                .setBootstrapServers(config.get("kafka.bootstrap-servers"))
                .setTopics(config.get(topicKey))
                .setGroupId(config.get("kafka.group-id"))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ContractDeserializationSchema<>(reader, type))
                .build();
        SingleOutputStreamOperator<T> valid = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), config.get(topicKey))
                .uid(name + "-source")
                .process(new RouteDeadLetters<T>())
                .returns(type)
                .uid(name + "-route-dead-letters")
                .name("parse " + config.get(topicKey) + " / route dead letters");
        rejected.add(valid.getSideOutput(RouteDeadLetters.DEAD_LETTERS));
        return valid;
    }

    /** JSON records to one topic, exactly once; {@code purpose} makes the transactional ids unique per sink. */
    public static <T> KafkaSink<T> exactlyOnce(
            TagstreamConfig config, String topic, String purpose, SerializableFunction<T, String> key) {
        return sink(config, topic, purpose, key, DeliveryGuarantee.EXACTLY_ONCE);
    }

    /**
     * JSON records to one topic with the given guarantee; only for a sink that cannot be exactly once
     * and whose consumers ignore a repeated record (the batch re-tag, see {@link RetagJob}).
     */
    public static <T> KafkaSink<T> sink(TagstreamConfig config, String topic, String purpose,
            SerializableFunction<T, String> key, DeliveryGuarantee guarantee) {
        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, config.get("kafka.transaction-timeout-ms"));
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get("kafka.bootstrap-servers"))
                .setRecordSerializer(new JsonRecordSerializationSchema<>(topic, key))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(config.get("kafka.transactional-id-prefix") + "-" + purpose)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /** Every dead letter of a job to {@code content.dlq} (Kafka) and {@code dead_letters} (PostgreSQL). */
    @SuppressWarnings("unchecked")
    public static void sinkDeadLetters(TagstreamConfig config, List<DataStream<DeadLetter>> rejected, String purpose)
            throws IOException {
        DataStream<DeadLetter> deadLetters = rejected.get(0).union(rejected.subList(1, rejected.size()).toArray(DataStream[]::new));
        String prefix = purpose.isEmpty() ? "" : purpose + "-";
        deadLetters.sinkTo(exactlyOnce(config, config.get("topic.dead-letters"), prefix + "dlq", DeadLetter::topic))
                .uid(prefix + "dead-letters-kafka-sink")
                .name(config.get("topic.dead-letters"));
        deadLetters.sinkTo(PostgresSinks.deadLetters(config.postgres()))
                .uid(prefix + "dead-letters-postgres-sink")
                .name("dead_letters (PostgreSQL)");
    }

    /**
     * Raw records from a command-line tool: idempotent and acknowledged by every replica, so a retry
     * neither loses nor doubles one. {@code maxRequestBytes} bounds the largest record it may send.
     */
    public static KafkaProducer<byte[], byte[]> producer(TagstreamConfig config, int maxRequestBytes) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestBytes));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
