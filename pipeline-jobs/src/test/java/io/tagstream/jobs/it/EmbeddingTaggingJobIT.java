package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.graph.KnowledgeGraph;
import java.time.Duration;
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
 * {@link TaggingJob} with its default tagger, the embedding model and rules ensemble, on a
 * MiniCluster against the real stack: contents are tagged asynchronously by the real BGE models
 * (English and Chinese), an unchanged text is not re-tagged, and ACCEPT / ADD feedback becomes
 * embedded examples in {@code tag_examples} that REJECT withdraws.
 */
class EmbeddingTaggingJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static TagstreamConfig config;
    private static StackProbe probe;

    @BeforeAll
    static void stack() throws Exception {
        // Four tags: a z-score cannot exceed √3, so the embedding's candidates (confidence ≤ 0.35)
        // are let through to see them in the job.
        config = LocalStack.isolatedConfig("embedding_job_it", Map.of("tagging.embedding.zero-shot-min-z", "1.2",
                "tagging.min-confidence", "0.2", "tagging.async.timeout-ms", "300000"));
        probe = new StackProbe(config);
    }

    @AfterAll
    static void closeProbe() {
        probe.close();
    }

    @Test
    void tagsWithTheEmbeddingEnsembleAndLearnsFromFeedback() throws Exception {
        probe.produce("topic.content-events", List.of(
                content("e1", "c1", 1, "Flink tutorial", "Learn stream processing with Apache Flink, step by step."),
                content("e2", "c2", 1, "紅燒肉食譜", "一道家常菜的烹飪做法"),
                content("e3", "c1", 2, "Flink tutorial", "Learn stream processing with Apache Flink, step by step.")));
        probe.produce("topic.feedback", List.of(
                feedback("f1", "c1", "topic::flink", "ACCEPT", "2026-11-01T10:05:00Z"),
                feedback("f2", "c1", "topic::kafka", "ADD", "2026-11-01T10:06:00Z"),
                feedback("f3", "c2", "topic::cooking", "ACCEPT", "2026-11-01T10:07:00Z"),
                feedback("f4", "c1", "topic::kafka", "REJECT", "2026-11-01T10:08:00Z")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, KnowledgeGraph.of(LocalStack.taxonomy("it-taxonomy.json")));
        JobClient job = env.executeAsync("embedding-tagging-job-it");
        try {
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(probe.query(
                    "SELECT content_id, tag, source FROM content_tags WHERE tag IN ('topic::flink', 'topic::cooking')"))
                    .map(r -> r[0] + " " + r[1])
                    .contains("c1 topic::flink", "c2 topic::cooking"));
            // Every proposal names its model; embedding proposals come from the model chosen by language.
            assertThat(probe.query("SELECT DISTINCT content_id, model FROM tag_events WHERE source = 'embedding'"))
                    .map(r -> r[0] + " " + r[1].replace("+knn", ""))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r).isIn("c1 bge-small-en-v15", "c2 bge-small-zh-v15"));
            // Version 2 of c1 has the same text: it is not re-tagged, so its tags do not change. (The
            // feedback makes tag versions of its own, with source user.)
            assertThat(probe.query("SELECT DISTINCT tag_version FROM tag_events WHERE content_id = 'c1' AND source <> 'user'"))
                    .map(r -> r[0]).containsExactly("1");

            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(probe.query(
                    "SELECT content_id, tag, model, active, array_length(vector, 1), source, event_id FROM tag_examples"))
                    .map(r -> String.join(" ", r))
                    .containsExactlyInAnyOrder(
                            "c1 topic::flink bge-small-en-v15 t 384 feedback f1",
                            "c1 topic::kafka bge-small-en-v15 f 384 feedback f4",
                            "c2 topic::cooking bge-small-zh-v15 t 512 feedback f3"));
        } finally {
            job.cancel().get();
        }
    }

    private static String content(String eventId, String contentId, long version, String title, String body) {
        return Json.toString(Map.of("event_id", eventId, "tenant", "t1", "content_id", contentId, "op", "UPSERT",
                "version", version, "occurred_at", "2026-11-01T10:00:00Z", "title", title, "body", body));
    }

    private static String feedback(String eventId, String contentId, String tag, String action, String at) {
        return Json.toString(Map.of("event_id", eventId, "tenant", "t1", "content_id", contentId, "tag", tag,
                "action", action, "actor", "ann", "occurred_at", at));
    }
}
