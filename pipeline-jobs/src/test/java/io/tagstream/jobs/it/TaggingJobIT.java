package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.jobs.StackSetup;
import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.postgres.SqlRows;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TaggingJob} on a Flink MiniCluster against the real Kafka, PostgreSQL and Elasticsearch:
 * new contents, an update, a duplicate, a stale version, a delete, a second tenant with the same
 * content id, versionless events, and two malformed records. Asserts the exact tag events on
 * Kafka (read committed) and in {@code tag_events}, the current tags in {@code content_tags}, the
 * documents in the contents index, and the dead letters on Kafka and in {@code dead_letters}.
 */
class TaggingJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static TagstreamConfig config;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void stack() throws Exception {
        // The exact confidences below are the keyword rules'; EmbeddingTaggingJobIT runs the
        // default (embedding ensemble) tagger.
        config = LocalStack.isolatedConfig("tagging_job_it", Map.of("tagging.tagger", "keyword"));
        StackSetup.run(config, line -> {});
    }

    @Test
    void tagsContentAndKeepsEveryChangeInKafkaPostgresAndElasticsearch() throws Exception {
        produce(List.of(
                content("e1", "t1", "c1", 1L, "Flink tutorial", ""),
                content("e1", "t1", "c1", 1L, "Flink tutorial", ""),                // duplicate event id
                content("e2", "t1", "c2", 1L, "Cooking", "烹飪 and cooking"),
                content("e3", "t1", "c1", 2L, "Kafka tutorial", ""),                 // update
                content("e4", "t1", "c1", 1L, "Cooking", ""),                        // stale version
                delete("e5", "t1", "c2", 2L),
                content("e6", "t2", "c1", null, "卡夫卡教學", ""),                     // other tenant, no version
                content("e7", "t2", "c1", null, "卡夫卡教學", "Kafka"),
                "this is not json",
                "{\"event_id\":\"e9\",\"tenant\":\"t1\",\"op\":\"UPSERT\",\"occurred_at\":\"2026-11-01T10:00:00Z\"}"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, taxonomy());
        JobClient job = env.executeAsync("tagging-job-it");
        try {
            List<String> expectedEvents = List.of(
                    "t1/c1 v1 ADDED content_type::tutorial 0.6 prev=null content_version=1",
                    "t1/c1 v1 ADDED topic::flink 0.6 prev=null content_version=1",
                    "t1/c1 v2 ADDED topic::kafka 0.6 prev=null content_version=2",
                    "t1/c1 v2 REMOVED topic::flink 0.0 prev=0.6 content_version=2",
                    "t1/c2 v1 ADDED topic::cooking 0.804 prev=null content_version=1",
                    "t1/c2 v2 REMOVED topic::cooking 0.0 prev=0.804 content_version=2",
                    "t2/c1 v1 ADDED content_type::tutorial 0.6 prev=null content_version=1",
                    "t2/c1 v1 ADDED topic::kafka 0.6 prev=null content_version=1",
                    "t2/c1 v2 UPDATED topic::kafka 0.72 prev=0.6 content_version=2");

            List<TagEvent> kafkaEvents = new ArrayList<>();
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                kafkaEvents.addAll(poll(config.get("topic.tag-events"), TagEvent.class));
                assertThat(kafkaEvents).hasSize(expectedEvents.size());
            });
            assertThat(kafkaEvents).map(TaggingJobIT::describe).containsExactlyInAnyOrderElementsOf(expectedEvents);
            assertOrderedPerContent(kafkaEvents);
            assertThat(kafkaEvents).allSatisfy(e -> assertThat(e.taxonomyVersion()).isEqualTo(taxonomy().version()));

            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(query("SELECT tenant || '/' || content_id, tag_version, action, tag, confidence, "
                            + "previous_confidence, content_version, event_id FROM tag_events"))
                            .map(r -> String.format("%s v%s %s %s %s prev=%s content_version=%s",
                                    r[0], r[1], r[2], r[3], trim(r[4]), r[5] == null ? "null" : trim(r[5]), r[6]))
                            .containsExactlyInAnyOrderElementsOf(expectedEvents));
            assertThat(query("SELECT event_id::text FROM tag_events")).map(r -> r[0])
                    .containsExactlyInAnyOrderElementsOf(kafkaEvents.stream().map(TagEvent::eventId).toList());

            assertThat(query("SELECT tenant || '/' || content_id, tag, confidence, tag_version FROM content_tags"))
                    .map(r -> r[0] + " " + r[1] + " " + trim(r[2]) + " v" + r[3])
                    .containsExactlyInAnyOrder(
                            "t1/c1 content_type::tutorial 0.6 v1",
                            "t1/c1 topic::kafka 0.6 v2",
                            "t2/c1 content_type::tutorial 0.6 v1",
                            "t2/c1 topic::kafka 0.72 v2");

            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                assertThat(document("t1", "c1")).isEqualTo("v2 deleted=false [content_type::tutorial, topic::kafka]");
                assertThat(document("t1", "c2")).isEqualTo("v2 deleted=true []");
                assertThat(document("t2", "c1")).isEqualTo("v2 deleted=false [content_type::tutorial, topic::kafka]");
            });

            List<DeadLetter> deadLetters = new ArrayList<>();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                deadLetters.addAll(poll(config.get("topic.dead-letters"), DeadLetter.class));
                assertThat(deadLetters).hasSize(2);
            });
            assertThat(deadLetters).map(d -> new String(Base64.getDecoder().decode(d.rawBase64()), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("this is not json",
                            "{\"event_id\":\"e9\",\"tenant\":\"t1\",\"op\":\"UPSERT\",\"occurred_at\":\"2026-11-01T10:00:00Z\"}");
            assertThat(deadLetters).allSatisfy(d -> {
                assertThat(d.topic()).isEqualTo(config.get("topic.content-events"));
                assertThat(d.stage()).isEqualTo("parse");
            });
            assertThat(deadLetters).map(DeadLetter::error)
                    .anySatisfy(e -> assertThat(e).startsWith("not JSON"))
                    .anySatisfy(e -> assertThat(e).isEqualTo("missing required field 'content_id'"));

            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(query("SELECT error, topic, kafka_offset FROM dead_letters"))
                            .map(r -> r[0] + " @" + r[2])
                            .containsExactlyInAnyOrderElementsOf(
                                    deadLetters.stream().map(d -> d.error() + " @" + d.offset()).toList()));
        } finally {
            job.cancel().get();
        }
    }

    // --- input -------------------------------------------------------------------------------

    private static String content(String eventId, String tenant, String contentId, Long version, String title, String body) {
        Map<String, Object> event = new HashMap<>();
        event.put("event_id", eventId);
        event.put("tenant", tenant);
        event.put("content_id", contentId);
        event.put("op", "UPSERT");
        if (version != null) {
            event.put("version", version);
        }
        event.put("occurred_at", "2026-11-01T10:00:00Z");
        event.put("title", title);
        event.put("body", body);
        return Json.toString(event);
    }

    private static String delete(String eventId, String tenant, String contentId, long version) {
        return Json.toString(Map.of("event_id", eventId, "tenant", tenant, "content_id", contentId, "op", "DELETE",
                "version", version, "occurred_at", "2026-11-01T11:00:00Z"));
    }

    private static void produce(List<String> records) throws Exception {
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
                } catch (java.io.IOException notJson) {
                    // sent without a key
                }
                producer.send(new ProducerRecord<>(config.get("topic.content-events"), key,
                        record.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static Taxonomy taxonomy() throws Exception {
        try (InputStream in = TaggingJobIT.class.getClassLoader().getResourceAsStream("it-taxonomy.json")) {
            return TaxonomyFile.read(in, "it-taxonomy.json");
        }
    }

    // --- output ------------------------------------------------------------------------------

    private static final Map<String, KafkaConsumer<byte[], byte[]>> CONSUMERS = new HashMap<>();

    /** Reads what is committed on a topic since the last call; transactions still open stay unseen. */
    private static <T> List<T> poll(String topic, Class<T> type) {
        KafkaConsumer<byte[], byte[]> consumer = CONSUMERS.computeIfAbsent(topic, t -> {
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

    private static void assertOrderedPerContent(List<TagEvent> events) {
        Map<String, Long> lastVersion = new HashMap<>();
        for (TagEvent event : events) {
            Long last = lastVersion.put(event.contentKey(), event.tagVersion());
            assertThat(last == null || last <= event.tagVersion())
                    .as("tag versions of %s arrive in order", event.contentKey()).isTrue();
        }
    }

    private static String describe(TagEvent e) {
        return String.format("%s/%s v%d %s %s %s prev=%s content_version=%d", e.tenant(), e.contentId(), e.tagVersion(),
                e.action(), e.tag(), trim(Double.toString(e.confidence())),
                e.previousConfidence() == null ? "null" : trim(e.previousConfidence().toString()), e.contentVersion());
    }

    private static String trim(String number) {
        return new java.math.BigDecimal(number).stripTrailingZeros().toPlainString().replaceAll("^0$", "0.0");
    }

    private static List<String[]> query(String sql) throws Exception {
        try (Connection c = config.postgres().open()) {
            return SqlRows.query(c, sql);
        }
    }

    private static String document(String tenant, String contentId) throws Exception {
        String index = config.get("elasticsearch.index-prefix") + "contents";
        String id = URLEncoder.encode(ContentKey.of(tenant, contentId), StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(config.get("elasticsearch.url") + "/" + index + "/_doc/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode doc = Json.mapper().readTree(response.body());
        JsonNode source = doc.path("_source");
        List<String> tags = new ArrayList<>();
        source.path("tag_ids").forEach(t -> tags.add(t.asText()));
        tags.sort(null);
        return "v" + doc.path("_version").asLong() + " deleted=" + source.path("deleted").asBoolean() + " " + tags;
    }
}
