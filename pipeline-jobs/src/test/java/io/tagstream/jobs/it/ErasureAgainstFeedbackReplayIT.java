package io.tagstream.jobs.it;

import static io.tagstream.jobs.it.ContentEventJson.content;
import static io.tagstream.jobs.it.ContentEventJson.feedback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tagstream.jobs.ExampleLoader;
import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.privacy.ContentErasure;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.udfs.graph.KnowledgeGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running {@link TaggingJob} keeps each content's latest text in its state, so feedback on a
 * content that was erased meanwhile (a late verdict, or the feedback topic replayed) would write
 * the text back into {@code tag_examples}; so would loading labelled data that names it. Neither
 * may: the content stays erased in every table and in the contents index.
 *
 * <p>One partition and parallelism 1: the feedback on the erased content and the marker after it
 * go through one source, one keyed operator and one sink in order, so once the marker's example
 * is stored the erased content's feedback has been written (or skipped) too.
 */
class ErasureAgainstFeedbackReplayIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @Test
    void lateAndReplayedFeedbackOnAnErasedContentWritesNothingBack(@TempDir Path dir) throws Exception {
        TagstreamConfig config = LocalStack.isolatedConfig("erasure_feedback_it", Map.of("tagging.tagger", "keyword",
                "job.parallelism", "1", "topic.partitions", "1"));
        try (StackProbe probe = new StackProbe(config)) {
            run(config, probe, dir);
        }
    }

    private static void run(TagstreamConfig config, StackProbe probe, Path dir) throws Exception {
        probe.produce("topic.content-events", List.of(
                content("e1", "acme", "secret-1", 1L, "My due date", "Week 30 of my pregnancy, a Kafka fan"),
                content("e2", "acme", "keep-1", 1L, "Kafka tutorial", "Consumers and topics")));
        probe.produce("topic.feedback", List.of(
                feedback("f1", "acme", "secret-1", "topic::kafka", "ACCEPT", "2026-11-01T10:05:00Z"),
                feedback("f2", "acme", "keep-1", "topic::kafka", "ACCEPT", "2026-11-01T10:05:00Z")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, KnowledgeGraph.of(LocalStack.taxonomy("it-taxonomy.json")));
        JobClient job = env.executeAsync("erasure-feedback-it");
        try {
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(examples(probe))
                    .containsExactlyInAnyOrder("keep-1 topic::kafka", "secret-1 topic::kafka"));

            String index = config.get("elasticsearch.index-prefix") + "contents";
            try (Connection c = config.postgres().open()) {
                new ContentErasure(new ElasticsearchBulk(config.get("elasticsearch.url")), index)
                        .erase(c, "acme", "secret-1", "dpo@acme");
            }
            assertThat(examples(probe)).containsExactly("keep-1 topic::kafka");

            // f1 again (the topic replayed), a late ADD on the erased content, then the marker
            probe.produce("topic.feedback", List.of(
                    feedback("f1", "acme", "secret-1", "topic::kafka", "ACCEPT", "2026-11-01T10:05:00Z"),
                    feedback("f3", "acme", "secret-1", "topic::flink", "ADD", "2026-11-01T10:10:00Z"),
                    feedback("f4", "acme", "keep-1", "topic::flink", "ADD", "2026-11-01T10:10:00Z")));
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                assertThat(examples(probe)).contains("keep-1 topic::flink");
                assertThat(probe.count("SELECT count(*) FROM tag_events WHERE content_id = 'keep-1' AND tag = 'topic::flink'"))
                        .isPositive();
                assertThat(probe.document("acme", "keep-1").path("_source").path("tag_ids").toString()).contains("topic::flink");
            });

            // labelled data that names the erased content, loaded with `tagstream examples`
            Path data = dir.resolve("labelled.jsonl");
            Files.writeString(data, """
                    {"id": "secret-1", "title": "My due date", "body": "Week 30 of my pregnancy", "tags": ["topic::kafka"]}
                    {"id": "keep-2", "title": "Flink", "body": "Streams", "tags": ["topic::flink"]}
                    """, StandardCharsets.UTF_8);
            ExampleLoader.main(ExampleLoaderIT.withConfig(config, dir, new String[] {"--tenant", "acme", "--data", data.toString()}));

            assertThat(examples(probe)).containsExactlyInAnyOrder("keep-1 topic::kafka", "keep-1 topic::flink", "keep-2 topic::flink");
            assertThat(probe.count("SELECT count(*) FROM tag_examples WHERE text LIKE '%due date%' OR text LIKE '%pregnancy%'"))
                    .isZero();
            // the feedback's own tag events (CONFIRMED, ADDED) are refused too, and the document stays the tombstone
            assertThat(probe.count("SELECT count(*) FROM tag_events WHERE content_id = 'secret-1'")).isZero();
            assertThat(probe.count("SELECT count(*) FROM content_tags WHERE content_id = 'secret-1'")).isZero();
            assertThat(probe.document("acme", "secret-1").path("_version").asLong()).isEqualTo(ContentDocuments.ERASED_VERSION);
            assertThat(probe.document("acme", "secret-1").path("_source").path("tag_ids")).isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    private static List<String> examples(StackProbe probe) throws Exception {
        return probe.query("SELECT content_id, tag FROM tag_examples WHERE active").stream().map(r -> r[0] + " " + r[1]).toList();
    }
}
