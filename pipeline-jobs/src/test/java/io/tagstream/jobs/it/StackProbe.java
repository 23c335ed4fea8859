package io.tagstream.jobs.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.DocumentIds;
import io.tagstream.sinks.postgres.SqlRows;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes input to and reads results from the real services of one test's isolated configuration. */
public final class StackProbe implements AutoCloseable {
    private final TagstreamConfig config;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, KafkaConsumer<byte[], byte[]>> consumers = new HashMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private KafkaProducer<byte[], byte[]> largeRecordProducer;

    public StackProbe(TagstreamConfig config) {
        this.config = config;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends records as they are, keyed by tenant/content_id where they carry both, else by session_id. */
    public void produce(String topicKey, List<String> records) throws Exception {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (String record : records) {
            byte[] key = null;
            try {
                JsonNode node = Json.mapper().readTree(record);
                if (node.path("tenant").isTextual() && node.path("content_id").isTextual()) {
                    key = ContentKey.of(node.get("tenant").asText(), node.get("content_id").asText())
                            .getBytes(StandardCharsets.UTF_8);
                } else if (node.path("session_id").isTextual()) {
                    key = node.get("session_id").asText().getBytes(StandardCharsets.UTF_8);
                }
            } catch (java.io.IOException notJson) {
                // sent without a key
            }
            sent.add(producer.send(new ProducerRecord<>(config.get(topicKey), key, record.getBytes(StandardCharsets.UTF_8))));
        }
        for (java.util.concurrent.Future<?> f : sent) {
            f.get();
        }
    }

    /** One record as it is sent: its key (or null) and its value, byte for byte. */
    public record Raw(byte[] key, byte[] value) {
        public static Raw of(String key, String value) {
            return new Raw(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Sends records with the keys they carry, in order, through a producer that compresses its
     * batches and may send records larger than the job accepts ({@code ingest.max-record-bytes}, 1 MiB
     * by default): a highly compressible record of more than 1 MiB then still fits the broker's
     * default limit of about 1 MB per batch, as it would for any producer that compresses.
     */
    public synchronized void produceRaw(String topicKey, List<Raw> records) throws Exception {
        if (largeRecordProducer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
            largeRecordProducer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (Raw record : records) {
            sent.add(largeRecordProducer.send(new ProducerRecord<>(config.get(topicKey), record.key(), record.value())));
        }
        for (java.util.concurrent.Future<?> f : sent) {
            f.get();
        }
    }

    /** Sends raw bytes without a key, as a misbehaving producer would. */
    public void produceBytes(String topicKey, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(config.get(topicKey), null, value)).get();
    }

    /** What is committed on a topic since the last call; records of open transactions stay unseen. */
    public <T> List<T> poll(String topicKey, Class<T> type) {
        String topic = config.get(topicKey);
        KafkaConsumer<byte[], byte[]> consumer = consumers.computeIfAbsent(topic, t -> {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
            props.put(ConsumerConfig.GROUP_ID_CONFIG, config.get("kafka.group-id") + "-verify-" + t);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
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

    /** Runs one statement that returns nothing, e.g. to change the database under the running job. */
    public void execute(String sql) throws Exception {
        try (Connection c = config.postgres().open(); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public long count(String sql, Object... args) throws Exception {
        return Long.parseLong(query(sql, args).get(0)[0]);
    }

    /** The contents index document of one content, or a missing node. */
    public JsonNode document(String tenant, String contentId) throws Exception {
        String index = config.get("elasticsearch.index-prefix") + "contents";
        String id = URLEncoder.encode(DocumentIds.of(tenant, contentId), StandardCharsets.UTF_8);
        return elasticsearch("GET", "/" + index + "/_doc/" + id, null);
    }

    /** The tags index document of one tag, as Elasticsearch answers a GET for it (with its version). */
    public JsonNode tagDocument(String tenant, String tag) throws Exception {
        String index = config.get("elasticsearch.index-prefix") + "tags";
        String id = URLEncoder.encode(DocumentIds.of(tenant, tag), StandardCharsets.UTF_8);
        return elasticsearch("GET", "/" + index + "/_doc/" + id, null);
    }

    /** Searches the contents index with a query body and returns the response. */
    public JsonNode searchContents(String body) throws Exception {
        String index = config.get("elasticsearch.index-prefix") + "contents";
        elasticsearch("POST", "/" + index + "/_refresh", null);
        return elasticsearch("POST", "/" + index + "/_search", body);
    }

    private JsonNode elasticsearch(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.get("elasticsearch.url") + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return Json.mapper().readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Override
    public void close() {
        producer.close();
        if (largeRecordProducer != null) {
            largeRecordProducer.close();
        }
        consumers.values().forEach(KafkaConsumer::close);
    }
}
