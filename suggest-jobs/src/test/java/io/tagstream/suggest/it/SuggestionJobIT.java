package io.tagstream.suggest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tagstream.jobs.StackSetup;
import io.tagstream.jobs.SuggestTool;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.it.LocalStack;
import io.tagstream.jobs.it.StackProbe;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.SessionPhase;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.schemas.SuggestedTag;
import io.tagstream.suggest.SuggestionJob;
import io.tagstream.udfs.tagging.KeywordTagger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SuggestionJob}, Stateful Functions embedded in Flink 1.20, on a MiniCluster against the real
 * Kafka and PostgreSQL: the golden sessions over Kafka with their rows in {@code suggest_sessions}
 * and bad requests as dead letters; the idle timeout as a Stateful Functions delayed message; and a
 * conversation that goes on after the job is stopped with a savepoint and restored from it.
 */
class SuggestionJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String CLEAR_IDEA = "一個穿白裙的精靈少女在森林中，夢幻氛圍";
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void goldenSessionsOverKafkaAreRecordedAndBadRequestsBecomeDeadLetters() throws Exception {
        TagstreamConfig config = stack("suggest_golden_it", Map.of());
        try (StackProbe probe = new StackProbe(config)) {
            probe.produce("topic.suggest-requests", List.of(
                    start("r1", "clear", CLEAR_IDEA, T0),
                    start("r2", "vague", "幫我畫一張好看的圖", T0),
                    start("r3", "unsafe", "a cute loli girl with cat ears", T0),
                    "not json",
                    "{\"request_id\":\"r4\",\"session_id\":\"clear\",\"tenant\":\"acme\",\"action\":\"CONTINUE\","
                            + "\"occurred_at\":\"2026-11-21T10:00:01Z\"}"));
            JobClient job = run(config, null);
            try {
                Responses responses = new Responses(probe);
                SuggestResponse exploring = responses.forTurn("clear", 1);
                assertThat(exploring.phase()).isEqualTo(SessionPhase.EXPLORING);
                assertThat(exploring.directions()).hasSize(3).allSatisfy(d -> {
                    assertThat(d.tags()).hasSizeBetween(10, 15);
                    assertThat(d.qualityScore()).isGreaterThanOrEqualTo(85);
                });
                SuggestResponse vague = responses.forTurn("vague", 1);
                assertThat(vague.phase()).isEqualTo(SessionPhase.UNDERSTANDING);
                assertThat(vague.questions()).hasSize(3);
                SuggestResponse unsafe = responses.forTurn("unsafe", 1);
                assertThat(unsafe.phase()).isEqualTo(SessionPhase.ABORTED);
                assertThat(unsafe.refused()).isTrue();
                assertThat(unsafe.abortReason()).isEqualTo(
                        "refused: the idea asks for content this tenant may not have (blocked tag)");

                probe.produce("topic.suggest-requests", List.of(choose("r5", "clear", 1, T0.plusSeconds(30))));
                SuggestResponse completed = responses.forTurn("clear", 2);
                assertThat(completed.phase()).isEqualTo(SessionPhase.COMPLETED);
                assertThat(completed.requestId()).isEqualTo("r5");
                assertThat(completed.result().hasTag("character::elf")).isTrue();
                assertThat(completed.result().tags()).isEqualTo(exploring.directions().get(0).tags());

                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(probe.query(
                        "SELECT session_id, phase, turns, refused, abort_reason, quality_score, idea, updated_at, "
                                + "tool_calls->>'finalize', jsonb_array_length(directions) FROM suggest_sessions "
                                + "ORDER BY session_id"))
                        .map(r -> String.join("|", nullsAsText(r)))
                        .containsExactly(
                                "clear|completed|2|f|null|100|" + CLEAR_IDEA + "|2026-11-21 10:00:30+00|1|3",
                                "unsafe|aborted|1|t|refused: the idea asks for content this tenant may not have "
                                        + "(blocked tag)|null|[refused]|2026-11-21 10:00:00+00|null|0",
                                "vague|understanding|1|f|null|null|幫我畫一張好看的圖|2026-11-21 10:00:00+00|null|0"));

                List<DeadLetter> deadLetters = new ArrayList<>();
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    deadLetters.addAll(probe.poll("topic.dead-letters", DeadLetter.class));
                    assertThat(deadLetters).hasSize(2);
                });
                assertThat(deadLetters).extracting(DeadLetter::error).containsExactlyInAnyOrder(
                        "not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or "
                                + "token 'null', 'true' or 'false')",
                        "a CONTINUE request needs a 'choice', a 'text' or 'finish': true");
                assertThat(deadLetters).allSatisfy(d -> assertThat(d.topic()).isEqualTo(config.get("topic.suggest-requests")));
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                        assertThat(probe.count("SELECT count(*) FROM dead_letters WHERE topic = ?",
                                config.get("topic.suggest-requests"))).isEqualTo(2));
                assertThat(responses.all()).hasSize(4);

                // ./tagstream suggest, scripted and interactive, against the same running job.
                java.io.ByteArrayOutputStream scripted = new java.io.ByteArrayOutputStream();
                int exit = new SuggestTool(config, new java.io.PrintStream(scripted, true, StandardCharsets.UTF_8),
                        Duration.ofMinutes(2)).run(CLEAR_IDEA, "acme", "cli-scripted", 2,
                        new BufferedReader(new StringReader("")));
                String printed = scripted.toString(StandardCharsets.UTF_8);
                assertThat(exit).as(printed).isZero();
                assertThat(printed).contains("[exploring] turn 1: 3 direction(s)", "  2. 動漫: 精靈 · 少女 · 白裙  (score 100, ",
                        "[completed] turn 2: Done: ", "  result: 動漫: 精靈 · 少女 · 白裙  (score 100, ",
                        "      character: 精靈, 少女");

                java.io.ByteArrayOutputStream talked = new java.io.ByteArrayOutputStream();
                exit = new SuggestTool(config, new java.io.PrintStream(talked, true, StandardCharsets.UTF_8),
                        Duration.ofMinutes(2)).run(CLEAR_IDEA, "acme", "cli-interactive", null,
                        new BufferedReader(new StringReader("3 湖畔\ndone\n")));
                printed = talked.toString(StandardCharsets.UTF_8);
                assertThat(exit).as(printed).isZero();
                assertThat(printed).contains("[refining] turn 2: Refined: ", "[completed] turn 3: Done: ",
                        "      scene: 森林, 湖畔");
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(probe.query(
                        "SELECT session_id, phase, turns, result->>'title' FROM suggest_sessions WHERE session_id LIKE 'cli-%' "
                                + "ORDER BY session_id")).map(r -> String.join("|", r)).containsExactly(
                        "cli-interactive|completed|3|奇幻插畫: 精靈 · 少女 · 白裙",
                        "cli-scripted|completed|2|動漫: 精靈 · 少女 · 白裙"));
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void anIdleSessionIsAbortedByItsDelayedMessageWithTheBestResultSoFar() throws Exception {
        TagstreamConfig config = stack("suggest_idle_it", Map.of("suggest.idle-timeout-ms", "2000"));
        try (StackProbe probe = new StackProbe(config)) {
            probe.produce("topic.suggest-requests", List.of(start("r1", "idle", CLEAR_IDEA, T0)));
            JobClient job = run(config, null);
            try {
                Responses responses = new Responses(probe);
                SuggestResponse exploring = responses.forTurn("idle", 1);
                assertThat(exploring.phase()).isEqualTo(SessionPhase.EXPLORING);

                SuggestResponse aborted = responses.awaitPhase("idle", SessionPhase.ABORTED);
                assertThat(aborted.abortReason()).isEqualTo("idle timeout: no turn for 2.0 s");
                assertThat(aborted.requestId()).isNull();
                assertThat(aborted.turn()).isEqualTo(1);
                assertThat(aborted.occurredAt()).isEqualTo(T0.plusSeconds(2));
                assertThat(aborted.result()).isEqualTo(exploring.directions().get(0));
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(probe.query(
                        "SELECT phase, abort_reason, updated_at FROM suggest_sessions WHERE session_id = 'idle'"))
                        .map(r -> String.join("|", r))
                        .containsExactly("aborted|idle timeout: no turn for 2.0 s|2026-11-21 10:00:02+00"));
                assertThat(responses.all()).hasSize(2);
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void aConversationSurvivesAStopWithSavepointAndARestore(@TempDir Path savepoints) throws Exception {
        TagstreamConfig config = stack("suggest_restore_it", Map.of());
        try (StackProbe probe = new StackProbe(config)) {
            Responses responses = new Responses(probe);
            probe.produce("topic.suggest-requests", List.of(start("r1", "resume", CLEAR_IDEA, T0)));
            JobClient first = run(config, null);
            SuggestResponse exploring = responses.forTurn("resume", 1);
            assertThat(exploring.phase()).isEqualTo(SessionPhase.EXPLORING);
            String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            assertThat(Files.exists(Path.of(java.net.URI.create(savepoint)).resolve("_metadata"))).isTrue();

            probe.produce("topic.suggest-requests", List.of(choose("r2", "resume", 2, T0.plusSeconds(40))));
            JobClient second = run(config, savepoint);
            try {
                SuggestResponse completed = responses.forTurn("resume", 2);
                assertThat(completed.phase()).isEqualTo(SessionPhase.COMPLETED);
                assertThat(completed.requestId()).isEqualTo("r2");
                assertThat(completed.result().title()).isEqualTo(exploring.directions().get(1).title());
                assertThat(completed.result().tags()).extracting(SuggestedTag::tag).contains("character::elf", "style::anime");
                assertThat(completed.toolCalls()).containsEntry("understand", 1).containsEntry("finalize", 1);
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(probe.query(
                        "SELECT phase, turns FROM suggest_sessions WHERE session_id = 'resume'"))
                        .map(r -> String.join("|", r)).containsExactly("completed|2"));
                assertThat(responses.all()).as("each turn answered exactly once across the restart").hasSize(2);
            } finally {
                second.cancel().get();
            }
        }
    }

    // ------------------------------------------------------------------------------------------

    private static TagstreamConfig stack(String name, Map<String, String> overrides) throws Exception {
        TagstreamConfig isolated = LocalStack.isolatedConfig(name);
        Map<String, String> values = new HashMap<>();
        for (String key : TagstreamConfig.DEFAULTS.keySet()) {
            values.put(key, isolated.get(key));
        }
        values.put("postgres.password", isolated.postgres().password());
        values.put("suggest.checkpoint-interval-ms", "500");
        values.putAll(overrides);
        TagstreamConfig config = TagstreamConfig.of(values);
        StackSetup.run(config, line -> { });
        return config;
    }

    private static JobClient run(TagstreamConfig config, String savepoint) throws Exception {
        Configuration flink = new Configuration();
        if (savepoint != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        SuggestionJob.configure(env, config);
        SuggestionJob.build(env, config, SuggestionJob.graph(config), KeywordTagger.factory());
        return env.executeAsync("suggestion-job-it");
    }

    private static String start(String requestId, String session, String idea, Instant at) {
        return "{\"request_id\":\"" + requestId + "\",\"session_id\":\"" + session + "\",\"tenant\":\"acme\","
                + "\"action\":\"START\",\"text\":\"" + idea + "\",\"occurred_at\":\"" + at + "\"}";
    }

    private static String choose(String requestId, String session, int choice, Instant at) {
        return "{\"request_id\":\"" + requestId + "\",\"session_id\":\"" + session + "\",\"tenant\":\"acme\","
                + "\"action\":\"CONTINUE\",\"choice\":" + choice + ",\"occurred_at\":\"" + at + "\"}";
    }

    private static String[] nullsAsText(String[] row) {
        String[] copy = row.clone();
        for (int i = 0; i < copy.length; i++) {
            copy[i] = copy[i] == null ? "null" : copy[i];
        }
        return copy;
    }

    /** Every response committed on suggest.responses so far. */
    private static final class Responses {
        private final StackProbe probe;
        private final List<SuggestResponse> seen = new ArrayList<>();

        Responses(StackProbe probe) {
            this.probe = probe;
        }

        List<SuggestResponse> all() {
            seen.addAll(probe.poll("topic.suggest-responses", SuggestResponse.class));
            return seen;
        }

        SuggestResponse forTurn(String session, int turn) {
            return awaitMatching(session, r -> r.turn() == turn);
        }

        SuggestResponse awaitPhase(String session, SessionPhase phase) {
            return awaitMatching(session, r -> r.phase() == phase);
        }

        private SuggestResponse awaitMatching(String session, java.util.function.Predicate<SuggestResponse> wanted) {
            return await().atMost(Duration.ofMinutes(2)).until(
                    () -> all().stream().filter(r -> r.sessionId().equals(session) && wanted.test(r)).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
        }
    }
}
