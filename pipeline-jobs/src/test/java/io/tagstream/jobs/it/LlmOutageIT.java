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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failure suite's scenario "the LLM endpoint fails" ({@link FailureRecoveryIT} has the others):
 * {@link TaggingJob} with {@code tagging.tagger=llm} tags a stream of recipes while its
 * OpenAI-wire endpoint ({@link OpenAiWireServer}, langchain4j's real client calling it) answers,
 * then hangs until the calls time out, then answers 500, then refuses connections, then answers
 * again. Only the endpoint fails, and it is this test's own, so the job runs on a MiniCluster
 * against the shared stack. Whoever tags a recipe, the LLM or its embedding fallback, it is
 * {@code topic::cooking}: Kafka (read committed), {@code tag_events}, {@code content_tags} and the
 * contents index must hold exactly one such event per content. Each event says which tagger
 * made it and why it fell back, every content's {@code llm_usage} rows agree with that, and the
 * operator's LLM counters (REST API, as the web UI shows them) equal what {@code llm_usage} and
 * the events add up to.
 */
class LlmOutageIT {
    private static final Duration WITHIN = Duration.ofMinutes(3);
    private static final String PREFIX = "recipe-";
    private static final String ANSWER =
            "{\"tags\": [{\"tag\": \"topic::cooking\", \"confidence\": 0.9, \"reason\": \"a recipe\"}]}";
    private static final Pattern FALLBACK = Pattern.compile("bge-small-en-v15 \\(fallback from gpt-test: (.+)\\)");
    private static final Pattern FAILED_ATTEMPTS = Pattern.compile("(\\w+) after (\\d+) attempts?");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(FlinkSession.freshMetrics()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private enum Endpoint { HEALTHY, HANGING, FAILING }

    private static volatile Endpoint endpoint = Endpoint.HEALTHY;
    private static final AtomicLong answered = new AtomicLong();
    private static OpenAiWireServer server;
    private static TagstreamConfig config;
    private static StackProbe probe;

    @BeforeAll
    static void start() throws Exception {
        server = OpenAiWireServer.start(request -> switch (endpoint) {
            case HEALTHY -> {
                answered.incrementAndGet();
                yield Reply.ok(ANSWER, 200, 40);
            }
            case HANGING -> Reply.hang();
            case FAILING -> Reply.error(500);
        });
        config = FakeLlmJob.config("llm_outage_it", server, Map.of("llm.timeout-ms", "1000", "llm.breaker.open-ms", "1500"));
        probe = new StackProbe(config);
    }

    @AfterAll
    static void stop() {
        server.close();
        probe.close();
    }

    @Test
    void anLlmOutageMidStreamFallsBackVisiblyAndLosesNothing() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, KnowledgeGraph.of(LocalStack.taxonomy("it-taxonomy.json")));
        JobClient job = env.executeAsync("llm-outage-it");
        String jobId = job.getJobID().toHexString();
        FlinkSession flink = FlinkSession.of(FLINK);
        Recipes recipes = null;
        try {
            await().atMost(WITHIN).until(() -> flink.allTasksRunning(jobId));
            recipes = Recipes.start();

            await().atMost(WITHIN).until(() -> answered.get() >= 10);
            endpoint = Endpoint.HANGING;
            awaitCalls("timeout", 2);
            endpoint = Endpoint.FAILING;
            awaitCalls("server_error", 3);
            server.refuseConnections();
            awaitCalls("unreachable", 2);
            // Calls failed in a row: the breakers opened and kept contents from calling at all.
            await().atMost(WITHIN).until(() -> flink.operatorMetricSum(jobId, "llmCircuitOpen") > 0);
            long answeredBefore = answered.get();
            endpoint = Endpoint.HEALTHY;
            server.acceptConnections();
            await().atMost(WITHIN).until(() -> answered.get() >= answeredBefore + 10);
            int contents = recipes.stop();

            List<String> events = new ArrayList<>();
            List<String> current = new ArrayList<>();
            List<String> documents = new ArrayList<>();
            for (int i = 0; i < contents; i++) {
                events.add(PREFIX + i + " v1 ADDED topic::cooking");
                current.add(PREFIX + i + " topic::cooking v1");
                documents.add(PREFIX + i + " v1 [topic::cooking]");
            }
            new ExactTagOutputs(probe, flink, jobId, WITHIN)
                    .assertExactly(PREFIX, new ExactTagOutputs.Expected(events, current, documents));

            Map<String, String> fellBack = assertEachEventSaysWhoTaggedIt(contents);
            assertThat(fellBack.values()).as("why contents fell back").contains("circuit breaker open");
            assertUsageAgreesWithTheEvents(contents, fellBack);
            assertThat(probe.query("SELECT DISTINCT outcome FROM llm_usage")).map(r -> r[0])
                    .contains("ok", "timeout", "server_error", "unreachable");
            assertThat(probe.count("SELECT count(*) FROM llm_usage WHERE outcome = 'ok' "
                    + "AND id > (SELECT max(id) FROM llm_usage WHERE outcome <> 'ok')"))
                    .as("answers after the endpoint came back").isGreaterThanOrEqualTo(10);

            await().atMost(WITHIN).untilAsserted(() -> assertThat(flink.operatorMetricSums(jobId, COUNTERS)).as("LLM metrics of the job")
                    .isEqualTo(expectedCounters(fellBack)));
            assertThat(flink.restarts(jobId)).as("restarts").isZero();
        } finally {
            if (recipes != null) {
                recipes.ticks().shutdownNow();
            }
            job.cancel().get();
        }
    }

    /**
     * Every content's event comes from the LLM (stamped with model and prompt version) or from its
     * embedding fallback, whose model and reason say why; returns why, by content, for the latter.
     */
    private static Map<String, String> assertEachEventSaysWhoTaggedIt(int contents) throws Exception {
        Map<String, String> fellBack = new LinkedHashMap<>();
        List<String[]> rows = probe.query("SELECT content_id, source, model, coalesce(prompt_version, '-'), reason "
                + "FROM tag_events WHERE content_id LIKE ?", PREFIX + "%");
        assertThat(rows).hasSize(contents);
        for (String[] row : rows) {
            String line = String.join(" | ", row);
            Matcher fallback = FALLBACK.matcher(row[2]);
            if (row[1].equals("llm")) {
                assertThat(line).isEqualTo(row[0] + " | llm | gpt-test | tag-v1 | a recipe");
            } else {
                assertThat(fallback.matches()).as(line).isTrue();
                String why = fallback.group(1);
                assertThat(line).startsWith(row[0] + " | embedding | " + row[2] + " | - | LLM unavailable (" + why
                        + "); similar to the tag's description");
                fellBack.put(row[0], why);
            }
        }
        return fellBack;
    }

    /**
     * A content's {@code llm_usage} rows are its attempts 1, 2, ... in order: failed ones, then
     * the answer when the LLM tagged it; when it fell back after N failed attempts, exactly N rows
     * ending with that failure; when the open breaker stopped it, only failures (fewer than 3).
     */
    private static void assertUsageAgreesWithTheEvents(int contents, Map<String, String> fellBack) throws Exception {
        Map<String, List<String[]>> calls = new LinkedHashMap<>();
        for (String[] row : probe.query("SELECT content_id, attempt, outcome FROM llm_usage ORDER BY id")) {
            calls.computeIfAbsent(row[0], c -> new ArrayList<>()).add(row);
        }
        assertThat(calls.keySet()).as("contents that called the LLM").allSatisfy(c -> assertThat(c).startsWith(PREFIX));
        for (int i = 0; i < contents; i++) {
            String content = PREFIX + i;
            List<String[]> attempts = calls.getOrDefault(content, List.of());
            List<String> outcomes = attempts.stream().map(r -> r[2]).toList();
            assertThat(attempts).as(content + " attempts").map(r -> Integer.parseInt(r[1]))
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, attempts.size()).boxed().toList());
            String why = fellBack.get(content);
            if (why == null) {
                assertThat(outcomes).as(content + ", tagged by the LLM").isNotEmpty().endsWith("ok")
                        .containsOnlyOnce("ok");
            } else if (why.equals("circuit breaker open")) {
                assertThat(outcomes).as(content + ", stopped by the open breaker").hasSizeLessThan(3).doesNotContain("ok");
            } else {
                Matcher failed = FAILED_ATTEMPTS.matcher(why);
                assertThat(failed.matches()).as(why).isTrue();
                assertThat(outcomes).as(content + ", " + why).hasSize(Integer.parseInt(failed.group(2)))
                        .doesNotContain("ok").endsWith(failed.group(1));
            }
        }
    }

    private static final List<String> COUNTERS = List.of("llmCalls", "llmFailedCalls", "llmRetries", "llmInputTokens",
            "llmOutputTokens", "llmFallbacks", "llmCircuitOpen");

    /** The counters as {@code llm_usage} and the events add them up. */
    private static Map<String, Long> expectedCounters(Map<String, String> fellBack) throws Exception {
        String[] usage = probe.query("SELECT count(*), count(*) FILTER (WHERE outcome <> 'ok'), "
                + "count(*) FILTER (WHERE attempt > 1), sum(input_tokens), sum(output_tokens) FROM llm_usage").get(0);
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < usage.length; i++) {
            values.put(COUNTERS.get(i), Long.parseLong(usage[i]));
        }
        values.put("llmFallbacks", (long) fellBack.size());
        values.put("llmCircuitOpen", fellBack.values().stream().filter("circuit breaker open"::equals).count());
        return values;
    }

    private static void awaitCalls(String outcome, long atLeast) {
        await().atMost(WITHIN).until(() -> probe.count("SELECT count(*) FROM llm_usage WHERE outcome = ?", outcome) >= atLeast);
    }

    /** A recipe every 100 ms, each a new content, until stopped. */
    private record Recipes(ScheduledExecutorService ticks, AtomicInteger sent, AtomicReference<Exception> failure) {
        static Recipes start() {
            Recipes recipes = new Recipes(Executors.newSingleThreadScheduledExecutor(), new AtomicInteger(),
                    new AtomicReference<>());
            recipes.ticks().scheduleAtFixedRate(() -> {
                int i = recipes.sent().get();
                try {
                    probe.produce("topic.content-events", List.of(Json.toString(Map.of(
                            "event_id", PREFIX + i, "tenant", "t1", "content_id", PREFIX + i, "op", "UPSERT",
                            "version", 1, "occurred_at", "2026-11-01T10:00:00Z",
                            "title", "Slow-roasted tomato pasta", "body", "A dinner recipe: simmer the sauce in the kitchen."))));
                    recipes.sent().incrementAndGet();
                } catch (Exception e) {
                    recipes.failure().compareAndSet(null, e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            return recipes;
        }

        /** Stops sending; returns how many recipes were sent. */
        int stop() throws Exception {
            ticks.shutdown();
            assertThat(ticks.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            if (failure.get() != null) {
                throw failure.get();
            }
            return sent.get();
        }
    }
}
