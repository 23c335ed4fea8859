package io.tagstream.jobs.it;

import static io.tagstream.jobs.it.ContentEventJson.content;
import static io.tagstream.jobs.it.ContentEventJson.delete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.jobs.RetagJob;
import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.privacy.ContentErasure;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.udfs.content.ContentTagLedger;
import io.tagstream.udfs.content.RetagRequests;
import io.tagstream.udfs.flink.RetagFunction;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.KnowledgeGraphFile;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-tagging on a Flink MiniCluster against the real Kafka, PostgreSQL and Elasticsearch: the
 * tagging job tags contents with one taxonomy, is stopped with a savepoint and resumed with a
 * changed one; a content is erased; the re-tag job (batch) requests the stored contents again,
 * and the tagging job records only the differences, as the next tag versions with reason
 * {@code retag: ...}; a second re-tag changes nothing, and later updates go on from there.
 */
class RetagJobIT {
    private static final Instant EFFECTIVE = Instant.parse("2026-12-01T00:00:00Z");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    Path dir;

    private TagstreamConfig config;

    @Test
    void reTagsStoredContentAndRecordsOnlyTheDifferences() throws Exception {
        // The expected tags are the keyword tagger's (EmbeddingTaggingJobIT runs the default ensemble).
        config = LocalStack.isolatedConfig("retag_job_it", Map.of("tagging.tagger", "keyword"));
        KnowledgeGraph before = graph(false);
        KnowledgeGraph after = graph(true);
        try (StackProbe probe = new StackProbe(config)) {
            probe.produce("topic.content-events", List.of(
                    content("e1", "t1", "c1", 1L, "Flink tutorial", ""),
                    content("e2", "t1", "c2", 1L, "Cooking", "烹飪 and cooking"),
                    content("e3", "t1", "c3", 1L, "Stream processing notes", ""),
                    content("e4", "t1", "c4", 1L, "Kafka tutorial", ""),
                    content("e5", "t1", "c5", 1L, "Kafka", ""),
                    delete("e6", "t1", "c5", 2L),
                    content("e7", "t2", "c1", null, "卡夫卡教學", ""),
                    content("e8", "t2", "c1", null, "卡夫卡教學", "Kafka"),
                    "not a content event"));

            // 1. The tagging job with the first taxonomy, stopped with a savepoint once it has read everything.
            JobClient tagging = start(before, null);
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                assertThat(probe.count("SELECT count(*) FROM tag_events")).isEqualTo(10);
                assertThat(committedToTheEnd("topic.content-events")).isTrue();
            });
            String savepoint = tagging.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
            List<String> logBefore = log(probe);
            assertThat(logBefore).containsExactlyInAnyOrder(
                    "t1/c1 v1 ADDED content_type::tutorial", "t1/c1 v1 ADDED topic::flink",
                    "t1/c2 v1 ADDED topic::cooking",
                    "t1/c4 v1 ADDED content_type::tutorial", "t1/c4 v1 ADDED topic::kafka",
                    "t1/c5 v1 ADDED topic::kafka", "t1/c5 v2 REMOVED topic::kafka",
                    "t2/c1 v1 ADDED content_type::tutorial", "t2/c1 v1 ADDED topic::kafka",
                    "t2/c1 v2 UPDATED topic::kafka");
            ElasticsearchBulk elasticsearch = new ElasticsearchBulk(config.get("elasticsearch.url"));
            String index = config.get("elasticsearch.index-prefix") + "contents";
            try (Connection c = config.postgres().open()) {
                new ContentErasure(elasticsearch, index).erase(c, "t1", "c4", "test");
            }

            // 2. The tagging job resumes with the changed taxonomy: cooking is gone, flink has the
            //    alias "stream processing", notes is new. Nothing changes until the re-tag asks.
            JobClient resumed = start(after, savepoint);
            try {
                JobExecutionResult result = retag();
                assertThat(outcomes(result)).isEqualTo(Map.of("requested", 4L, "deleted", 1L, "erased", 1L));
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                        assertThat(probe.count("SELECT count(*) FROM tag_events")).isEqualTo(8 + 3));
                List<String> retagEvents = new ArrayList<>(log(probe));
                retagEvents.removeAll(logBefore);
                assertThat(retagEvents).containsExactlyInAnyOrder(
                        "t1/c2 v2 REMOVED topic::cooking", "t1/c3 v1 ADDED content_type::notes", "t1/c3 v1 ADDED topic::flink");
                assertThat(probe.query("SELECT reason, occurred_at, taxonomy_version, content_version FROM tag_events "
                        + "WHERE reason LIKE 'retag: %' ORDER BY content_id, tag")).extracting(r -> String.join("|", r))
                        .containsExactly(
                                "retag: no longer proposed for content version 1|2026-12-01 00:00:00+00|" + after.version() + "|1",
                                "retag: matched \"note\" in title|2026-12-01 00:00:00+00|" + after.version() + "|1",
                                "retag: matched \"stream processing\" in title|2026-12-01 00:00:00+00|" + after.version() + "|1");
                assertThat(probe.query("SELECT tenant || '/' || content_id || ' ' || tag || ' v' || tag_version "
                        + "FROM content_tags ORDER BY 1")).extracting(r -> r[0]).containsExactly(
                        "t1/c1 content_type::tutorial v1", "t1/c1 topic::flink v1",
                        "t1/c3 content_type::notes v1", "t1/c3 topic::flink v1",
                        "t2/c1 content_type::tutorial v1", "t2/c1 topic::kafka v2");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(document(probe, "t1", "c3")).isEqualTo("v1 [content_type::notes, topic::flink]");
                    assertThat(document(probe, "t1", "c2")).isEqualTo("v2 []");
                    assertThat(document(probe, "t1", "c4")).isEqualTo("v1 deleted []");
                });
                List<TagEvent> onKafka = new ArrayList<>();
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    onKafka.addAll(probe.poll("topic.tag-events", TagEvent.class));
                    assertThat(onKafka).filteredOn(e -> e.reason().startsWith(ContentTagLedger.RETAG_PREFIX))
                            .extracting(e -> e.contentKey() + " v" + e.tagVersion() + " " + e.action() + " " + e.tag())
                            .containsExactlyInAnyOrderElementsOf(retagEvents);
                });

                // 3. Re-tagging again asks again, and changes nothing.
                retag();
                await().atMost(Duration.ofMinutes(1)).until(() -> committedToTheEnd("topic.retag-requests"));
                assertThat(probe.count("SELECT count(*) FROM tag_events")).isEqualTo(8 + 3);

                // 4. Later updates go on from the re-tagged versions.
                probe.produce("topic.content-events", List.of(
                        content("e9", "t1", "c3", 2L, "Stream processing notes about Kafka", ""),
                        content("e10", "t1", "c2", 2L, "Cooking with Flink", "")));
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                        assertThat(probe.count("SELECT count(*) FROM tag_events")).isEqualTo(8 + 3 + 2));
                List<String> newest = new ArrayList<>(log(probe));
                newest.removeAll(logBefore);
                newest.removeAll(retagEvents);
                assertThat(newest).containsExactlyInAnyOrder("t1/c3 v2 ADDED topic::kafka", "t1/c2 v3 ADDED topic::flink");
            } finally {
                resumed.cancel().get();
            }
        }
    }

    private JobClient start(KnowledgeGraph graph, String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, graph);
        StreamGraph job = env.getStreamGraph();
        if (savepoint != null) {
            job.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(job);
    }

    private JobExecutionResult retag() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RetagJob.configure(env, config);
        RetagJob.build(env, config, EFFECTIVE, false);
        return env.execute("retag-it");
    }

    private static Map<String, Long> outcomes(JobExecutionResult result) {
        Map<String, Long> outcomes = new HashMap<>();
        for (RetagRequests.Outcome outcome : RetagRequests.Outcome.values()) {
            Long count = result.getAccumulatorResult(RetagFunction.accumulator(outcome));
            outcomes.put(outcome.name().toLowerCase(Locale.ROOT), count == null ? 0L : count);
        }
        return outcomes;
    }

    /** The IT taxonomy, or its changed version: cooking removed, an alias for flink, a new tag "notes". */
    private static KnowledgeGraph graph(boolean changed) throws Exception {
        byte[] json;
        try (InputStream in = RetagJobIT.class.getClassLoader().getResourceAsStream("it-taxonomy.json")) {
            json = in.readAllBytes();
        }
        if (changed) {
            ArrayNode edited = Json.mapper().createArrayNode();
            for (JsonNode entry : Json.mapper().readTree(json)) {
                String id = entry.path("id").asText();
                if (id.equals("topic::flink")) {
                    ((ObjectNode) entry).putArray("aliases").add("stream processing");
                }
                if (!id.equals("topic::cooking")) {
                    edited.add(entry);
                }
            }
            edited.addObject().put("kind", "tag").put("id", "content_type::notes").put("dimension", "content_type")
                    .put("label", "Notes");
            json = Json.toBytes(edited);
        }
        return KnowledgeGraphFile.parse(json, KnowledgeGraphFile.Format.JSON, changed ? "it-taxonomy-changed.json" : "it-taxonomy.json");
    }

    /** Whether the tagging job's consumer group has committed every partition of a topic to its end. */
    private boolean committedToTheEnd(String topicKey) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.get("kafka.group-id"))
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < config.getInt("topic.partitions"); p++) {
                latest.put(new TopicPartition(config.get(topicKey), p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue().offset()));
        }
    }

    private static List<String> log(StackProbe probe) throws Exception {
        return probe.query("SELECT tenant || '/' || content_id || ' v' || tag_version || ' ' || action || ' ' || tag "
                + "FROM tag_events").stream().map(r -> r[0]).toList();
    }

    private static String document(StackProbe probe, String tenant, String contentId) throws Exception {
        JsonNode source = probe.document(tenant, contentId).path("_source");
        List<String> tags = new ArrayList<>();
        source.path("tag_ids").forEach(t -> tags.add(t.asText()));
        tags.sort(null);
        return "v" + source.path("tag_version").asLong() + (source.path("deleted").asBoolean() ? " deleted " : " ") + tags;
    }
}
