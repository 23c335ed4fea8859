package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.content.TagEventIds;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.KnowledgeGraphFile;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The knowledge graph and feedback in the running job, at parallelism 2, against the real
 * services: a merge reaching two thousand contents already tagged, a blocked tag that never reaches
 * any sink, an alias added while the job runs, a bad command, and user feedback that sticks.
 */
class KnowledgeGraphIT {
    private static final int CONTENTS = 2000;
    private static final String TENANT = "t1";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static TagstreamConfig config;
    private static StackProbe probe;
    private static final List<TagEvent> kafkaEvents = new ArrayList<>();

    @BeforeAll
    static void stack() throws Exception {
        // The expected tags are the keyword tagger's (EmbeddingTaggingJobIT runs the default ensemble).
        config = LocalStack.isolatedConfig("knowledge_graph_it", Map.of("tagging.tagger", "keyword"));
        probe = new StackProbe(config);
    }

    @AfterAll
    static void closeProbe() {
        probe.close();
    }

    @Test
    void theGraphDecidesLiveAndReachesThePast() throws Exception {
        List<String> contents = new ArrayList<>();
        for (int i = 0; i < CONTENTS; i++) {
            contents.add(content(id(i), 1, i % 2 == 0 ? "Kafka notes" : "Flink notes", List.of()));
        }
        for (int i = 0; i < 5; i++) {
            contents.add(content("g" + i, 1, "Casino night", List.of()));
        }
        contents.add(content("u1", 1, "Cluster ops", List.of("k8s")));
        probe.produce("topic.feedback", List.of(feedback("early", "c9999", "topic::flink", "ADD")));
        probe.produce("topic.content-events", contents);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, graph());
        JobClient job = env.executeAsync("knowledge-graph-it");
        try {
            awaitKafkaEvents(CONTENTS + 1);
            assertThat(probe.count("SELECT count(*) FROM tag_drops WHERE tag = '[blocked]' AND reason = 'blocked tag'"))
                    .isEqualTo(5);

            // A merge reaches every content already carrying the tag, across both parallel instances.
            probe.produce("topic.taxonomy-commands", List.of(
                    command("m1", "MERGE", "topic::kafka", "topic::streaming", Map.of()),
                    command("bad", "MERGE", "topic::flink", "topic::cobol", Map.of())));
            awaitKafkaEvents(CONTENTS + 1 + CONTENTS);
            Set<String> expectedMergeEvents = new HashSet<>();
            for (int i = 0; i < CONTENTS; i += 2) {
                expectedMergeEvents.add(TagEventIds.of(TENANT, id(i), 2, "topic::kafka", TagAction.REMOVED));
                expectedMergeEvents.add(TagEventIds.of(TENANT, id(i), 2, "topic::streaming", TagAction.ADDED));
            }
            List<TagEvent> mergeEvents = kafkaEvents.stream().filter(e -> e.source() == TagSource.TAXONOMY).toList();
            assertThat(mergeEvents).map(TagEvent::eventId).containsExactlyInAnyOrderElementsOf(expectedMergeEvents);
            assertThat(mergeEvents).allSatisfy(e -> {
                assertThat(e.taxonomyVersion()).endsWith("+1");
                assertThat(e.reason()).isEqualTo("merged 'topic::kafka' into 'topic::streaming'");
                assertThat(e.confidence()).isEqualTo(e.action() == TagAction.ADDED ? 0.6 : 0.0);
            });
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(probe.query(
                    "SELECT event_id::text FROM tag_events WHERE source = 'taxonomy'")).map(r -> r[0])
                    .containsExactlyInAnyOrderElementsOf(expectedMergeEvents));
            assertThat(probe.count("SELECT count(*) FROM content_tags WHERE tag = 'topic::kafka'")).isZero();
            assertThat(probe.count("SELECT count(*) FROM content_tags WHERE tag = 'topic::streaming' AND tag_version = 2"))
                    .isEqualTo(CONTENTS / 2);
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                assertThat(hits("topic::kafka")).isZero();
                assertThat(hits("topic::streaming")).isEqualTo(CONTENTS / 2);
            });
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(probe.query(
                    "SELECT stage, error FROM dead_letters")).map(r -> r[0] + ": " + r[1])
                    .containsExactly("taxonomy: unknown tag 'topic::cobol'"));

            // An alias added while the job runs: later proposals use it, earlier tags stay as they were.
            probe.produce("topic.taxonomy-commands", List.of(
                    command("a1", "ADD_ALIAS", "topic::kubernetes", null, Map.of("alias", "k8s"))));
            await().atMost(Duration.ofMinutes(1)).until(() -> probe.count("SELECT count(*) FROM taxonomy_commands") == 2);
            probe.produce("topic.content-events", List.of(content("u2", 1, "Cluster ops", List.of("k8s"))));

            // Feedback: a rejected tag never comes back when the content is re-tagged.
            probe.produce("topic.feedback", List.of(feedback("f1", id(1), "topic::flink", "REJECT")));
            awaitKafkaEvents(CONTENTS + 1 + CONTENTS + 1 + 1);
            probe.produce("topic.content-events", List.of(content(id(1), 2, "Flink notes, again", List.of()),
                    content("c9999", 1, "Kafka", List.of())));
            awaitKafkaEvents(CONTENTS + 1 + CONTENTS + 1 + 1 + 2);

            assertThat(tagsOf("u1")).containsExactly("k8s 1 user v1");
            assertThat(tagsOf("u2")).containsExactly("topic::kubernetes 1 user v1");
            assertThat(tagsOf(id(1))).isEmpty();
            assertThat(tagsOf("c9999")).containsExactly("topic::flink 1 user v2", "topic::streaming 0.6 rule v1");
            assertThat(kafkaEvents.stream().filter(e -> e.reason().endsWith(" by ana")).map(KnowledgeGraphIT::describe))
                    .containsExactlyInAnyOrder(
                            "c0001 v2 REJECTED topic::flink 0.0 prev=0.6 rejected by ana",
                            "c9999 v2 ADDED topic::flink 1.0 prev=null added by ana");
            assertThat(probe.query("SELECT tag, reason FROM tag_drops WHERE content_id = ?", id(1)))
                    .map(r -> r[0] + ": " + r[1]).containsExactly("topic::flink: rejected by ana");

            // Co-occurrence counts follow the contents' current tags.
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(probe.query(
                    "SELECT tag_a || '|' || tag_b, contents FROM tag_cooccurrence WHERE tenant = ? AND contents > 0"
                            + " AND (tag_a = '' OR tag_a = 'topic::flink' OR tag_a = 'topic::streaming')", TENANT))
                    .map(r -> r[0] + "=" + r[1])
                    .containsExactlyInAnyOrder("|=" + (CONTENTS - 1 + 3), "topic::flink|=" + (CONTENTS / 2 - 1 + 1),
                            "topic::streaming|=" + (CONTENTS / 2 + 1), "topic::flink|topic::streaming=1"));

            // The blocked tag reached no sink at all.
            assertThat(kafkaEvents).noneMatch(e -> e.tag().equals("topic::gambling"));
            assertThat(probe.count("SELECT count(*) FROM tag_events WHERE tag = 'topic::gambling'")).isZero();
            assertThat(probe.count("SELECT count(*) FROM content_tags WHERE tag = 'topic::gambling'")).isZero();
            assertThat(probe.count("SELECT count(*) FROM tag_drops WHERE tag = 'topic::gambling'")).isZero();
            assertThat(hits("topic::gambling")).isZero();
        } finally {
            job.cancel().get();
        }
    }

    private static void awaitKafkaEvents(int total) {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            kafkaEvents.addAll(probe.poll("topic.tag-events", TagEvent.class));
            assertThat(kafkaEvents).hasSize(total);
        });
    }

    private static List<String> tagsOf(String contentId) throws Exception {
        return probe.query("SELECT tag, confidence, source, tag_version FROM content_tags WHERE tenant = ? AND content_id = ?"
                + " ORDER BY tag", TENANT, contentId).stream().map(r -> r[0] + " " + r[1] + " " + r[2] + " v" + r[3]).toList();
    }

    private static long hits(String tag) throws Exception {
        return probe.searchContents("{\"size\": 0, \"track_total_hits\": true, \"query\": {\"term\": {\"tag_ids\": "
                + Json.toString(tag) + "}}}").path("hits").path("total").path("value").asLong();
    }

    private static String describe(TagEvent e) {
        return String.format("%s v%d %s %s %s prev=%s %s", e.contentId(), e.tagVersion(), e.action(), e.tag(),
                e.confidence(), e.previousConfidence(), e.reason());
    }

    private static String id(int i) {
        return String.format("c%04d", i);
    }

    private static String content(String contentId, long version, String title, List<String> userTags) {
        Map<String, Object> event = new HashMap<>();
        event.put("event_id", contentId + "-v" + version);
        event.put("tenant", TENANT);
        event.put("content_id", contentId);
        event.put("op", "UPSERT");
        event.put("version", version);
        event.put("occurred_at", "2026-11-01T10:00:00Z");
        event.put("title", title);
        event.put("user_tags", userTags);
        return Json.toString(event);
    }

    private static String feedback(String eventId, String contentId, String tag, String action) {
        return Json.toString(Map.of("event_id", eventId, "tenant", TENANT, "content_id", contentId, "tag", tag,
                "action", action, "actor", "ana", "occurred_at", "2026-11-02T10:00:00Z"));
    }

    private static String command(String id, String type, String tag, String target, Map<String, String> attributes) {
        Map<String, Object> command = new HashMap<>();
        command.put("command_id", id);
        command.put("command", type);
        command.put("tag", tag);
        if (target != null) {
            command.put("target", target);
        }
        command.put("attributes", attributes);
        command.put("actor", "curator");
        command.put("issued_at", "2026-11-03T10:00:00Z");
        return Json.toString(command);
    }

    private static KnowledgeGraph graph() throws Exception {
        try (InputStream in = KnowledgeGraphIT.class.getClassLoader().getResourceAsStream("it-graph.json")) {
            return KnowledgeGraphFile.parse(in.readAllBytes(), KnowledgeGraphFile.Format.JSON, "it-graph.json");
        }
    }
}
