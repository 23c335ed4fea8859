package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.tagging.llm.OpenAiWireServer;
import io.tagstream.udfs.tagging.llm.OpenAiWireServer.Reply;
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
 * {@link TaggingJob} with {@code tagging.tagger=llm} against an HTTP server started here that
 * speaks the OpenAI chat-completions wire format (langchain4j's OpenAI client makes the calls),
 * the real Kafka and PostgreSQL: a good answer becomes LLM tag events stamped with model and
 * prompt version and an out-of-taxonomy proposal a candidate; a content the server answers with
 * 429 three times still gets tag events, from the embedding fallback, which say so; every
 * call is a row of {@code llm_usage}; and the tag generation operator's LLM counters add up the same.
 */
class LlmTaggingJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setConfiguration(FlinkSession.freshMetrics())
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static OpenAiWireServer server;
    private static TagstreamConfig config;
    private static StackProbe probe;

    @BeforeAll
    static void start() throws Exception {
        server = OpenAiWireServer.start(LlmTaggingJobIT::answer);
        config = FakeLlmJob.config("llm_job_it", server, Map.of("llm.breaker.failures", "10"));
        probe = new StackProbe(config);
    }

    @AfterAll
    static void stop() {
        server.close();
        probe.close();
    }

    /** Kafka contents get a good answer; anything else is rate limited. */
    private static Reply answer(String request) {
        return request.contains("Kafka consumers explained")
                ? Reply.ok("{\"tags\": [{\"tag\": \"topic::kafka\", \"confidence\": 0.9, \"reason\": \"Kafka in the title\"},"
                        + " {\"tag\": \"Event mesh\", \"confidence\": 0.4, \"reason\": \"a guess\", \"new\": true}]}", 200, 40)
                : Reply.error(429);
    }

    @Test
    void llmTagsAreStampedAndFailuresFallBackVisibly() throws Exception {
        probe.produce("topic.content-events", List.of(
                content("e1", "c1", "Kafka consumers explained", "Partitions, offsets and groups."),
                content("e2", "c2", "Slow-roasted tomato pasta", "A dinner recipe: simmer the sauce in the kitchen.")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, KnowledgeGraph.of(LocalStack.taxonomy("it-taxonomy.json")));
        JobClient job = env.executeAsync("llm-tagging-job-it");
        try {
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(probe.query(
                    "SELECT content_id FROM tag_events GROUP BY content_id")).hasSize(2));

            assertThat(probe.query("SELECT tag, source, model, prompt_version FROM tag_events WHERE content_id = 'c1' "
                    + "AND tag = 'topic::kafka'")).map(r -> String.join(" ", r))
                    .containsExactly("topic::kafka llm gpt-test tag-v1");
            assertThat(probe.query("SELECT model, reason FROM tag_events WHERE content_id = 'c2'"))
                    .isNotEmpty()
                    .allSatisfy(r -> {
                        assertThat(r[0]).endsWith("(fallback from gpt-test: rate_limited after 3 attempts)");
                        assertThat(r[1]).contains("LLM unavailable (rate_limited after 3 attempts)");
                    });

            assertThat(probe.query("SELECT content_id, model, purpose, prompt_version, attempt, input_tokens, output_tokens, "
                    + "cost_usd, outcome FROM llm_usage ORDER BY content_id, attempt"))
                    .map(r -> String.join(" ", r))
                    .containsExactly(
                            "c1 gpt-test tagging tag-v1 1 200 40 0.000054 ok",
                            "c2 gpt-test tagging tag-v1 1 0 0 0.000000 rate_limited",
                            "c2 gpt-test tagging tag-v1 2 0 0 0.000000 rate_limited",
                            "c2 gpt-test tagging tag-v1 3 0 0 0.000000 rate_limited");
            assertThat(probe.query("SELECT tenant, label, example_content_id, model, prompt_version, occurrences, status "
                    + "FROM tag_candidates")).map(r -> String.join(" ", r))
                    .containsExactly("t1 Event mesh c1 gpt-test tag-v1 1 open");

            // The same calls as the tag generation operator's counters (web UI, Prometheus reporter).
            Map<String, Long> counters = Map.of("llmCalls", 4L, "llmFailedCalls", 3L, "llmRetries", 2L,
                    "llmInputTokens", 200L, "llmOutputTokens", 40L, "llmFallbacks", 1L, "llmCircuitOpen", 0L);
            FlinkSession flink = FlinkSession.of(FLINK);
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(
                    flink.operatorMetricSums(job.getJobID().toHexString(), List.copyOf(counters.keySet())))
                    .isEqualTo(counters));
        } finally {
            job.cancel().get();
        }
    }

    private static String content(String eventId, String contentId, String title, String body) {
        return Json.toString(Map.of("event_id", eventId, "tenant", "t1", "content_id", contentId, "op", "UPSERT",
                "version", 1, "occurred_at", "2026-11-01T10:00:00Z", "title", title, "body", body));
    }
}
