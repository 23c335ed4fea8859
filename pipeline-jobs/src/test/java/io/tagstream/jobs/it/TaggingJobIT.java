package io.tagstream.jobs.it;

import static io.tagstream.jobs.it.ContentEventJson.content;
import static io.tagstream.jobs.it.ContentEventJson.delete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.graph.KnowledgeGraph;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
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
    private static StackProbe probe;

    @BeforeAll
    static void stack() throws Exception {
        // The exact confidences below are the keyword rules'; EmbeddingTaggingJobIT runs the
        // default (embedding ensemble) tagger.
        config = LocalStack.isolatedConfig("tagging_job_it", Map.of("tagging.tagger", "keyword"));
        probe = new StackProbe(config);
    }

    @AfterAll
    static void closeProbe() {
        probe.close();
    }

    @Test
    void tagsContentAndKeepsEveryChangeInKafkaPostgresAndElasticsearch() throws Exception {
        probe.produce("topic.content-events", List.of(
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
        TaggingJob.build(env, config, KnowledgeGraph.of(LocalStack.taxonomy("it-taxonomy.json")));
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
                kafkaEvents.addAll(probe.poll("topic.tag-events", TagEvent.class));
                assertThat(kafkaEvents).hasSize(expectedEvents.size());
            });
            assertThat(kafkaEvents).map(TaggingJobIT::describe).containsExactlyInAnyOrderElementsOf(expectedEvents);
            assertOrderedPerContent(kafkaEvents);
            assertThat(kafkaEvents).allSatisfy(e -> assertThat(e.taxonomyVersion()).isEqualTo(LocalStack.taxonomy("it-taxonomy.json").version()));

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
                deadLetters.addAll(probe.poll("topic.dead-letters", DeadLetter.class));
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

    // --- output ------------------------------------------------------------------------------

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
        return probe.query(sql);
    }

    private static String document(String tenant, String contentId) throws Exception {
        JsonNode doc = probe.document(tenant, contentId);
        JsonNode source = doc.path("_source");
        List<String> tags = new ArrayList<>();
        source.path("tag_ids").forEach(t -> tags.add(t.asText()));
        tags.sort(null);
        return "v" + doc.path("_version").asLong() + " deleted=" + source.path("deleted").asBoolean() + " " + tags;
    }
}
