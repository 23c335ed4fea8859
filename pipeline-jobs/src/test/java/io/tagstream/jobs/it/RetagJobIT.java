package io.tagstream.jobs.it;

import static io.tagstream.jobs.it.ContentEventsOnKafka.content;
import static io.tagstream.jobs.it.ContentEventsOnKafka.delete;
import static io.tagstream.jobs.it.ContentEventsOnKafka.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.jobs.RetagJob;
import io.tagstream.jobs.StackSetup;
import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.privacy.ContentErasure;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.sinks.postgres.SqlRows;
import io.tagstream.udfs.content.ContentRetag;
import io.tagstream.udfs.flink.RetagFunction;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The re-tag job on a Flink MiniCluster against the real Kafka, PostgreSQL and Elasticsearch:
 * the tagging job tags contents with one taxonomy and is stopped with a savepoint; a content is
 * erased; the re-tag job runs with a changed taxonomy and writes only the differences, and a
 * savepoint for the tagging job; the tagging job resumes from it and goes on at the right versions.
 */
class RetagJobIT {
    private static final Instant EFFECTIVE = Instant.parse("2026-12-01T00:00:00Z");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    private TagstreamConfig config;

    @Test
    void reTagsStoredContentWritesOnlyTheDifferencesAndHandsItsStateToTheTaggingJob() throws Exception {
        config = LocalStack.isolatedConfig("retag_job_it");
        StackSetup.run(config, line -> {});
        Taxonomy before = taxonomy(false);
        Taxonomy after = taxonomy(true);

        produce(config, List.of(
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
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, before);
        JobClient tagging = env.executeAsync("tagging-before-retag");
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM tag_events")).isEqualTo(10);
            assertThat(committedUpToTheEnd()).isTrue();
        });
        String savepoint = tagging.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        List<String> logBefore = log();
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

        // 2. The re-tag with the second taxonomy: cooking is gone, flink has the alias "stream processing", notes is new.
        String handedOver = dir.resolve("handed-over").toUri().toString();
        JobExecutionResult result = retag(after, savepoint, handedOver);

        List<String> retagEvents = new ArrayList<>(log());
        retagEvents.removeAll(logBefore);
        assertThat(retagEvents).containsExactlyInAnyOrder(
                "t1/c2 v2 REMOVED topic::cooking", "t1/c3 v1 ADDED content_type::notes", "t1/c3 v1 ADDED topic::flink");
        assertThat(rows("SELECT reason, occurred_at, taxonomy_version, content_version FROM tag_events "
                + "WHERE reason LIKE 'retag: %' ORDER BY content_id, tag")).containsExactly(
                "retag: no longer proposed for content version 1|2026-12-01 00:00:00+00|" + after.version() + "|1",
                "retag: matched \"notes\" in title|2026-12-01 00:00:00+00|" + after.version() + "|1",
                "retag: matched \"stream processing\" in title|2026-12-01 00:00:00+00|" + after.version() + "|1");
        assertThat(outcomes(result)).isEqualTo(Map.of("retagged", 2L, "unchanged", 3L, "no_stored_content", 0L, "erased", 1L));
        assertThat(rows("SELECT tenant || '/' || content_id || ' ' || tag || ' v' || tag_version FROM content_tags "
                + "ORDER BY 1")).containsExactly(
                "t1/c1 content_type::tutorial v1", "t1/c1 topic::flink v1",
                "t1/c3 content_type::notes v1", "t1/c3 topic::flink v1",
                "t2/c1 content_type::tutorial v1", "t2/c1 topic::kafka v2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            elasticsearch.refresh(index);
            assertThat(document(elasticsearch, index, "t1", "c3")).isEqualTo("v1 [content_type::notes, topic::flink]");
            assertThat(document(elasticsearch, index, "t1", "c2")).isEqualTo("v2 []");
            assertThat(document(elasticsearch, index, "t1", "c4")).isEqualTo("erased");
        });
        List<TagEvent> onKafka = committedTagEvents();
        assertThat(onKafka).filteredOn(e -> e.reason().startsWith(ContentRetag.REASON_PREFIX))
                .extracting(e -> e.contentKey() + " v" + e.tagVersion() + " " + e.action() + " " + e.tag())
                .containsExactlyInAnyOrderElementsOf(retagEvents);

        // 3. Running it again changes nothing: the differences are already in the log.
        JobExecutionResult again = retag(after, null, null);
        assertThat(outcomes(again)).containsEntry("retagged", 0L).containsEntry("unchanged", 5L);
        // the erased content's two events are gone, the re-tag added three
        assertThat(count("SELECT count(*) FROM tag_events")).isEqualTo(10 - 2 + 3);

        // 4. The tagging job resumes from the handed-over savepoint and goes on from the re-tag's versions.
        produce(config, List.of(
                content("e9", "t1", "c3", 2L, "Stream processing notes about Kafka", ""),
                content("e10", "t1", "c2", 2L, "Cooking with Flink", "")));
        StreamExecutionEnvironment resumed = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(resumed, config);
        TaggingJob.build(resumed, config, after);
        StreamGraph graph = resumed.getStreamGraph();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(handedOver, false));
        JobClient resumedJob = resumed.executeAsync(graph);
        try {
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                    assertThat(count("SELECT count(*) FROM tag_events")).isEqualTo(13));
            List<String> newest = new ArrayList<>(log());
            newest.removeAll(logBefore);
            newest.removeAll(retagEvents);
            assertThat(newest).containsExactlyInAnyOrder("t1/c3 v2 ADDED topic::kafka", "t1/c2 v3 ADDED topic::flink");
        } finally {
            resumedJob.cancel().get();
        }
    }

    private JobExecutionResult retag(Taxonomy taxonomy, String taggingSavepoint, String outputSavepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RetagJob.configure(env, config);
        RetagJob.build(env, config, taxonomy, EFFECTIVE, false, taggingSavepoint, outputSavepoint);
        return env.execute("retag-it");
    }

    private static Map<String, Long> outcomes(JobExecutionResult result) {
        Map<String, Long> outcomes = new HashMap<>();
        for (ContentRetag.Outcome outcome : ContentRetag.Outcome.values()) {
            Long count = result.getAccumulatorResult(RetagFunction.accumulator(outcome));
            outcomes.put(outcome.name().toLowerCase(java.util.Locale.ROOT), count == null ? 0L : count);
        }
        return outcomes;
    }

    /** The IT taxonomy, or its changed version: cooking removed, an alias for flink, a new tag "notes". */
    private static Taxonomy taxonomy(boolean changed) throws Exception {
        byte[] json;
        try (InputStream in = RetagJobIT.class.getClassLoader().getResourceAsStream("it-taxonomy.json")) {
            json = in.readAllBytes();
        }
        if (!changed) {
            return TaxonomyFile.parse(json, "it-taxonomy.json");
        }
        ArrayNode entries = (ArrayNode) Json.mapper().readTree(json);
        ArrayNode edited = Json.mapper().createArrayNode();
        for (JsonNode entry : entries) {
            String id = entry.path("id").asText();
            if (id.equals("topic::cooking")) {
                continue;
            }
            if (id.equals("topic::flink")) {
                ((ObjectNode) entry).putArray("aliases").add("stream processing");
            }
            edited.add(entry);
        }
        edited.addObject().put("kind", "tag").put("id", "content_type::notes").put("dimension", "content_type")
                .put("label", "Notes");
        return TaxonomyFile.parse(Json.toBytes(edited), "it-taxonomy-changed.json");
    }

    // ---- Kafka --------------------------------------------------------------------------------

    /** Whether the tagging job's consumer group has committed every partition of content.events to its end. */
    private boolean committedUpToTheEnd() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.get("kafka.group-id"))
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < config.getInt("topic.partitions"); p++) {
                latest.put(new TopicPartition(config.get("topic.content-events"), p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue().offset()));
        }
    }

    private List<TagEvent> committedTagEvents() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.get("kafka.group-id") + "-verify");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<TagEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(config.get("topic.tag-events")));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    events.add(Json.fromBytes(record.value(), TagEvent.class));
                }
                assertThat(events).hasSize(10 + 3);
            });
        }
        return events;
    }

    // ---- stores -------------------------------------------------------------------------------

    private List<String> log() throws Exception {
        return rows("SELECT tenant || '/' || content_id || ' v' || tag_version || ' ' || action || ' ' || tag FROM tag_events");
    }

    private List<String> rows(String sql) throws Exception {
        try (Connection c = config.postgres().open()) {
            return SqlRows.query(c, sql).stream().map(r -> String.join("|", r)).toList();
        }
    }

    private long count(String sql) throws Exception {
        return Long.parseLong(rows(sql).get(0));
    }

    private static String document(ElasticsearchBulk elasticsearch, String index, String tenant, String contentId)
            throws Exception {
        JsonNode source = elasticsearch.get(index, ContentKey.of(tenant, contentId)).orElseThrow();
        if (source.path("content_version").asLong() == 0 && source.path("deleted").asBoolean() && source.path("tags").isEmpty()) {
            return "erased";
        }
        List<String> tags = new ArrayList<>();
        source.path("tag_ids").forEach(t -> tags.add(t.asText()));
        tags.sort(null);
        return "v" + source.path("tag_version").asLong() + " " + tags;
    }
}
