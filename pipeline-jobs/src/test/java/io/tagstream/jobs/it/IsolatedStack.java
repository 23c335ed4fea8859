package io.tagstream.jobs.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.jobs.StackSetup;
import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.postgres.SqlRows;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's own part of the local stack ({@link LocalStack#isolatedConfig}): the tagging job on
 * it, content events onto Kafka, and what the job wrote back to Kafka (read committed),
 * PostgreSQL and Elasticsearch.
 */
public final class IsolatedStack implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TagstreamConfig config;
    private final Map<String, KafkaConsumer<byte[], byte[]>> consumers = new HashMap<>();

    private IsolatedStack(TagstreamConfig config) {
        this.config = config;
    }

    /** Fresh topics, database and indexes, set up for the job. */
    public static IsolatedStack create(String testName, Map<String, String> settings) throws Exception {
        TagstreamConfig config = LocalStack.isolatedConfig(testName, settings);
        StackSetup.run(config, line -> {});
        return new IsolatedStack(config);
    }

    public TagstreamConfig config() {
        return config;
    }

    /** Starts the tagging job on the MiniCluster of the calling test. */
    public JobClient startTaggingJob(Taxonomy taxonomy, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, taxonomy);
        return env.executeAsync(name);
    }

    /** Sends each record to the content topic, keyed by tenant/content when it is JSON that names them. */
    public void produceContent(List<String> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String record : records) {
                byte[] key = null;
                try {
                    JsonNode node = Json.mapper().readTree(record);
                    key = ContentKey.of(node.path("tenant").asText(), node.path("content_id").asText())
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IOException notJson) {
                    // sent without a key
                }
                producer.send(new ProducerRecord<>(config.get("topic.content-events"), key,
                        record.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /** What is committed on a topic since the last call; transactions still open stay unseen. */
    public <T> List<T> poll(String topic, Class<T> type) {
        KafkaConsumer<byte[], byte[]> consumer = consumers.computeIfAbsent(topic, t -> {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
            props.put(ConsumerConfig.GROUP_ID_CONFIG, config.get("kafka.group-id") + "-verify-" + t);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            c.subscribe(List.of(t));
            return c;
        });
        List<T> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            records.add(Json.fromBytes(record.value(), type));
        }
        return records;
    }

    public List<String[]> query(String sql, Object... args) throws Exception {
        try (Connection c = config.postgres().open()) {
            return SqlRows.query(c, sql, args);
        }
    }

    /** The document {@code id} of {@code <prefix>index}, as Elasticsearch answers a GET for it. */
    public JsonNode document(String index, String id) throws Exception {
        String url = config.get("elasticsearch.url") + "/" + config.get("elasticsearch.index-prefix") + index
                + "/_doc/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }

    @Override
    public void close() {
        consumers.values().forEach(KafkaConsumer::close);
    }
}
