package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.it.ExactTagOutputs.ExpectedDeadLetter;
import io.tagstream.jobs.it.StackProbe.Raw;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.tagging.llm.OpenAiWireServer;
import io.tagstream.udfs.tagging.llm.OpenAiWireServer.Reply;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The tagging job on a Flink session cluster of a {@link PrivateStack} (its own Kafka, PostgreSQL,
 * Elasticsearch and Flink processes, on other ports), while its parts fail: the TaskManager is
 * killed with SIGKILL, the Kafka broker restarts and is killed with SIGKILL, PostgreSQL and
 * Elasticsearch are away for 30 s, PostgreSQL turns slow, the TaskManager is killed while bad
 * records are in flight, and while the LLM tagger (an {@link OpenAiWireServer}) tags. One job
 * runs through most of it; each scenario streams its own contents of a tenant of its own (two
 * versions each, the second a second after the first, so updates cross the failure) and then
 * asserts that every output is exactly what its input implies: the tag events on Kafka (read
 * committed), the rows of {@code tag_events} and {@code content_tags}, the documents of the
 * contents index, the tenant's tag weights ({@code tag_stats}, {@code tag.stats}, the tags index),
 * {@code tag_drops}, and the dead letters on {@code content.dlq} (read committed) and in
 * {@code dead_letters}: four events per content, nothing missing, nothing twice. The LLM endpoint
 * failing is {@link LlmOutageIT}: it needs no private stack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureRecoveryIT {
    // An upper bound for a loaded 2-core machine; runs normally finish well within it.
    private static final Duration RECOVERY = Duration.ofMinutes(5);

    private static PrivateStack stack;
    private static FlinkSession flink;
    private static TagstreamConfig config;
    private static StackProbe probe;
    private static String jobId;
    private static ExactTagOutputs outputs;
    /** Every record the suite has sent that the job must refuse: the dead letters the stores must hold, no more. */
    private static final List<ExpectedDeadLetter> deadLetters = new ArrayList<>();

    @BeforeAll
    static void startStackAndJob() throws Exception {
        stack = PrivateStack.start(LocalStack.root().resolve("local-cluster/.work/failure-tests"));
        flink = new FlinkSession(stack.flinkUrl());
        Path taxonomy = Path.of(FailureRecoveryIT.class.getClassLoader().getResource("it-taxonomy.json").toURI());
        // The rules tagger: this suite is about delivery, and its expectations must not move with
        // what a model finds plausible (the ensemble now drops "tutorial" here, and the 130 MB
        // BGE model did not always fit the restarted TaskManager's heap). The models have their own ITs.
        config = stack.isolatedConfig("failure_recovery_it", Map.of("taxonomy.file", taxonomy.toString(),
                "tagging.tagger", "rules"));
        probe = new StackProbe(config);
        outputs = new ExactTagOutputs(probe, flink, () -> jobId, RECOVERY);
        submitJob(Map.of());
    }

    private static void submitJob(Map<String, String> settings) throws Exception {
        jobId = flink.submit(LocalStack.root().resolve("pipeline-jobs/target/tagstream-jobs.jar"),
                "io.tagstream.jobs.TaggingJob", List.of("--config", writeJobConfig(settings).toString()));
        await().atMost(RECOVERY).until(() -> flink.allTasksRunning(jobId));
    }

    @AfterAll
    static void stopJobAndStack() throws Exception {
        try {
            if (probe != null) {
                probe.close();
            }
            if (jobId != null) {
                flink.cancel(jobId);
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    @Order(1)
    void taskManagerKilledMidStreamRecoversFromItsCheckpoint() throws Exception {
        ContentStream stream = ContentStream.start("tm-kill", 600, 20, false, List.of());
        long restartsBefore = flink.restarts(jobId);
        long checkpointBefore = awaitProgressAndCheckpoint(stream);

        stack.kill("flink-taskmanager");
        stack.up("flink");

        await().atMost(RECOVERY).until(() -> flink.restarts(jobId) > restartsBefore && flink.allTasksRunning(jobId));
        assertThat(flink.restoredCheckpoint(jobId)).isGreaterThanOrEqualTo(checkpointBefore);
        stream.finished().get(2, TimeUnit.MINUTES);
        assertExactlyWhatTheInputImplies(stream);
    }

    @Test
    @Order(2)
    void kafkaBrokerRestart() throws Exception {
        ContentStream stream = ContentStream.start("kafka-restart", 600, 20, false, List.of());
        awaitProgressAndCheckpoint(stream);

        stack.down("kafka");
        stack.up("kafka");

        stream.finished().get(3, TimeUnit.MINUTES);
        assertExactlyWhatTheInputImplies(stream);
    }

    @Test
    @Order(3)
    void kafkaBrokerKilledWithSigkill() throws Exception {
        ContentStream stream = ContentStream.start("kafka-kill", 600, 20, false, List.of());
        awaitProgressAndCheckpoint(stream);

        // kill -9: no controlled shutdown, the sinks' transactions left open, the log recovered
        // at the next start; away for as long as a new broker takes to start.
        stack.kill("kafka");
        stack.up("kafka");

        stream.finished().get(3, TimeUnit.MINUTES);
        assertExactlyWhatTheInputImplies(stream);
        assertRunsOnWithoutRestarting();
    }

    @Test
    @Order(4)
    void postgresAwayForThirtySeconds() throws Exception {
        awayForThirtySeconds("postgres");
    }

    @Test
    @Order(5)
    void elasticsearchAwayForThirtySeconds() throws Exception {
        awayForThirtySeconds("elasticsearch");
    }

    /**
     * Stops {@code service} mid-stream for 30 s: its sinks wait for it (the job backs up), the job
     * does not restart, and nothing is lost or set aside.
     */
    private static void awayForThirtySeconds(String service) throws Exception {
        ContentStream stream = ContentStream.start(service + "-away", 600, 20, false, List.of());
        awaitProgressAndCheckpoint(stream);
        long restartsBefore = flink.restarts(jobId);

        stack.down(service);
        await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40))
                .until(() -> !flink.state(jobId).equals("FAILED"));
        stack.up(service);

        stream.finished().get(2, TimeUnit.MINUTES);
        assertExactlyWhatTheInputImplies(stream);
        assertThat(flink.restarts(jobId)).as("restarts while " + service + " was away").isEqualTo(restartsBefore);
        assertThat(probe.count("SELECT count(*) FROM store_dead_letters")).as("nothing set aside").isZero();
    }

    @Test
    @Order(6)
    void slowPostgresAppliesBackpressureAndNothingIsDropped() throws Exception {
        probe.execute("CREATE FUNCTION slow_tag_event() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM pg_sleep(0.01); RETURN NEW; END $$");
        probe.execute("CREATE TRIGGER slow_tag_event BEFORE INSERT ON tag_events FOR EACH ROW EXECUTE FUNCTION slow_tag_event()");
        long restartsBefore = flink.restarts(jobId);
        try {
            // Sent at once, 3,000 contents: thousands of tag events at 10 ms a row, batches of
            // 2,000 that hold the content tag state's thread (the sink is chained to it) for
            // seconds, longer than the REST API's metric refresh (10 s).
            ContentStream stream = ContentStream.start("slow-sink", 3000, 2000, false, List.of());
            // The slow sink's task is busy; the tasks before it wait for room in their output buffers.
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).until(() ->
                    flink.maxSubtaskMetric(jobId, "backPressuredTimeMsPerSecond") > 200);
            stream.finished().get(2, TimeUnit.MINUTES);
            assertExactlyWhatTheInputImplies(stream);
            assertThat(flink.restarts(jobId)).as("restarts while the sink was slow").isEqualTo(restartsBefore);
            assertThat(flink.state(jobId)).isEqualTo("RUNNING");
        } finally {
            probe.execute("DROP TRIGGER slow_tag_event ON tag_events");
        }
    }

    @Test
    @Order(7)
    void taskManagerKilledWhileBadRecordsAreInFlight() throws Exception {
        String tenant = "bad-input";
        List<ExpectedDeadLetter> bad = badRecords(tenant);
        // 100 records a second: the stream is still under way when the TaskManager dies.
        ContentStream stream = ContentStream.start(tenant, 600, 10, false,
                bad.stream().map(b -> new Raw(b.key().getBytes(StandardCharsets.UTF_8), b.raw())).toList());
        long restartsBefore = flink.restarts(jobId);
        long checkpointBefore = awaitProgressAndCheckpoint(stream);
        // Some bad records are dead letters already (so the replay meets them again), others are still to be sent.
        await().atMost(RECOVERY).until(() -> probe.count("SELECT count(*) FROM dead_letters "
                + "WHERE convert_from(record_key, 'UTF8') LIKE ?", tenant + "/%") > 0);
        long badSentBeforeTheKill = stream.badSentBefore(stream.sent().get());

        stack.kill("flink-taskmanager");
        stack.up("flink");

        await().atMost(RECOVERY).until(() -> flink.restarts(jobId) > restartsBefore && flink.allTasksRunning(jobId));
        assertThat(flink.restoredCheckpoint(jobId)).isGreaterThanOrEqualTo(checkpointBefore);
        assertThat(badSentBeforeTheKill).as("bad records sent before the TaskManager died").isBetween(1L, bad.size() - 1L);
        stream.finished().get(2, TimeUnit.MINUTES);
        deadLetters.addAll(bad);
        assertExactlyWhatTheInputImplies(stream);
        assertRunsOnWithoutRestarting();
    }

    @Test
    @Order(8)
    void taskManagerKilledWhileTheLlmTags() throws Exception {
        String tenant = "llm-tm";
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        try (OpenAiWireServer llm = OpenAiWireServer.start(request -> {
            // The same answer to every attempt for one content's text, whichever TaskManager asks.
            Matcher content = NUMBERED_TEXT.matcher(request);
            if (!content.find()) {
                return Reply.error(400);
            }
            int i = Integer.parseInt(content.group(2));
            served.computeIfAbsent(tenant + "-" + i, c -> new AtomicInteger()).incrementAndGet();
            return Reply.ok(llmAnswer(content.group(1), i), LLM_INPUT_TOKENS, LLM_OUTPUT_TOKENS);
        })) {
            String rulesJob = jobId;
            flink.cancel(rulesJob);
            await().atMost(RECOVERY).until(() -> flink.state(rulesJob).equals("CANCELED"));
            // The TaskManager runs on this machine: it reaches the endpoint on 127.0.0.1.
            submitJob(Map.of("tagging.tagger", "llm", "llm.base-url", llm.baseUrl()));

            ContentStream stream = ContentStream.start(tenant, 400, 10, true, List.of());
            long restartsBefore = flink.restarts(jobId);
            awaitProgressAndCheckpoint(stream);
            // Killed while the LLM answers, ten calls after the newest completed checkpoint (if no
            // newer one completed meanwhile, three tries): those calls are made again after the restore.
            long newest = -1;
            for (int tries = 0; tries < 3; tries++) {
                newest = flink.latestCheckpoint(jobId);
                long calls = llm.requests();
                await().atMost(RECOVERY).until(() -> llm.requests() >= calls + 10);
                if (flink.latestCheckpoint(jobId) == newest) {
                    break;
                }
            }
            stack.kill("flink-taskmanager");
            stack.up("flink");

            await().atMost(RECOVERY).until(() -> flink.restarts(jobId) > restartsBefore && flink.allTasksRunning(jobId));
            long restored = flink.restoredCheckpoint(jobId);
            assertThat(restored).isGreaterThanOrEqualTo(newest);
            stream.finished().get(2, TimeUnit.MINUTES);
            assertExactlyWhatTheInputImplies(stream);
            assertEachTagCameFromTheLlm(stream);
            assertLlmUsageAgreesWithTheCallsServed(stream, served, restored == newest);
            assertRunsOnWithoutRestarting();
        }
    }

    @Test
    @Order(9)
    void cancelledAndSubmittedAgainOnTheSameCluster() throws Exception {
        // What `./tagstream submit` does after a cancel or an upgrade, twice, with the embedding
        // model: each main method runs on the same JobManager in a class loader of its own and
        // opens PostgreSQL (it once found "no suitable driver" there), and each job loads the
        // model's native libraries on the same TaskManager (which refused a second class loader).
        Map<String, String> embedding = Map.of("tagging.tagger", "embedding",
                // every content gets its most similar tags, whatever the model makes of them
                "tagging.embedding.zero-shot-min-z", "0", "tagging.min-confidence", "0");
        for (String prefix : List.of("resubmitted-1", "resubmitted-2")) {
            String cancelled = jobId;
            flink.cancel(cancelled);
            await().atMost(RECOVERY).until(() -> flink.state(cancelled).equals("CANCELED"));

            submitJob(embedding);
            ContentStream stream = ContentStream.start(prefix, 20, 20, false, List.of());
            stream.finished().get(1, TimeUnit.MINUTES);
            await().atMost(RECOVERY).until(() -> probe.count("SELECT count(DISTINCT content_id) FROM tag_events "
                    + "WHERE content_id LIKE ? AND model = 'bge-small-en-v15'", prefix + "-%") == stream.contents());
            assertThat(flink.restarts(jobId)).as("restarts of the job submitted again").isZero();
        }
    }

    // --- input -------------------------------------------------------------------------------

    /**
     * {@code contents} contents of the tenant {@code prefix} sent at {@code perTick} records every
     * 100 ms: version 1 ("Flink tutorial") of each block of 100 contents, then version 2 ("Kafka
     * tutorial") of the block before, so each content's update follows its first version by a
     * block. {@code numbered} titles end with " #i", the content's number; the {@code bad} records
     * are spread evenly among them.
     */
    private record ContentStream(String prefix, int contents, List<Integer> badAt, CompletableFuture<Void> finished,
            AtomicInteger sent) {
        static ContentStream start(String prefix, int contents, int perTick, boolean numbered, List<Raw> bad) {
            List<Raw> records = new ArrayList<>();
            int block = 100;
            for (int from = 0; from <= contents; from += block) {
                for (int i = from; i < Math.min(contents, from + block); i++) {
                    records.add(content(prefix, i, 1, "Flink tutorial" + (numbered ? " #" + i : "")));
                }
                for (int i = from - block; i >= 0 && i < from; i++) {
                    records.add(content(prefix, i, 2, "Kafka tutorial" + (numbered ? " #" + i : "")));
                }
            }
            List<Integer> badAt = new ArrayList<>();
            int valid = records.size();
            for (int j = 0; j < bad.size(); j++) {
                int at = (int) ((long) (j + 1) * valid / (bad.size() + 1)) + j;
                records.add(at, bad.get(j));
                badAt.add(at);
            }
            ContentStream stream = new ContentStream(prefix, contents, badAt, new CompletableFuture<>(), new AtomicInteger());
            ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
            ticks.scheduleAtFixedRate(() -> {
                try {
                    int from = stream.sent().get();
                    int to = Math.min(records.size(), from + perTick);
                    probe.produceRaw("topic.content-events", records.subList(from, to));
                    stream.sent().set(to);
                    if (to == records.size()) {
                        stream.finished().complete(null);
                        ticks.shutdown();
                    }
                } catch (Exception e) {
                    stream.finished().completeExceptionally(e);
                    ticks.shutdown();
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            return stream;
        }

        String contentId(int i) {
            return prefix + "-" + i;
        }

        /** How many of the bad records were among the first {@code sent} records. */
        long badSentBefore(int sent) {
            return badAt.stream().filter(at -> at < sent).count();
        }
    }

    private static Raw content(String tenant, int i, long version, String title) {
        Map<String, Object> event = new HashMap<>();
        event.put("event_id", tenant + "-" + i + "-v" + version);
        event.put("tenant", tenant);
        event.put("content_id", tenant + "-" + i);
        event.put("op", "UPSERT");
        event.put("version", version);
        event.put("occurred_at", "2026-11-01T10:00:0" + version + "Z");
        event.put("title", title);
        event.put("body", "");
        return Raw.of(ContentKey.of(tenant, tenant + "-" + i), Json.toString(event));
    }

    /**
     * Records of {@code tenant} the job must refuse, each with a key of its own: three rounds of
     * not JSON, cut-off JSON, a missing content_id, a version that is a string and bytes that are
     * not UTF-8, and twice a content of more than the default limit of 1 MiB
     * ({@code ingest.max-record-bytes}), which a compressing producer still gets onto the topic.
     */
    private static List<ExpectedDeadLetter> badRecords(String tenant) {
        List<ExpectedDeadLetter> bad = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            String key = tenant + "/bad-" + round + "-";
            String id = tenant + "-bad-" + round;
            bad.add(deadLetter(key + "not-json", "(?s)not JSON: .*",
                    ("not JSON at all, round " + round).getBytes(StandardCharsets.UTF_8)));
            bad.add(deadLetter(key + "cut-off", "(?s)not JSON: .*",
                    ("{\"event_id\": \"" + id + "\", \"tenant\": ").getBytes(StandardCharsets.UTF_8)));
            Map<String, Object> noContentId = new TreeMap<>(Map.of("event_id", id + "-no-content-id", "tenant", tenant,
                    "op", "UPSERT", "version", 1, "occurred_at", "2026-11-01T10:00:01Z", "title", "Flink tutorial"));
            bad.add(deadLetter(key + "no-content-id", "missing required field 'content_id'",
                    Json.toString(noContentId).getBytes(StandardCharsets.UTF_8)));
            Map<String, Object> textVersion = new TreeMap<>(Map.of("event_id", id + "-text-version", "tenant", tenant,
                    "content_id", id + "-text-version", "op", "UPSERT", "version", "1", "occurred_at", "2026-11-01T10:00:01Z",
                    "title", "Flink tutorial"));
            bad.add(deadLetter(key + "text-version", "field 'version' must be an integer, was string",
                    Json.toString(textVersion).getBytes(StandardCharsets.UTF_8)));
            bad.add(deadLetter(key + "not-utf-8", "(?s)not JSON: .*UTF-8.*",
                    new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
            if (round != 1) {
                Map<String, Object> huge = new TreeMap<>(Map.of("event_id", id + "-huge", "tenant", tenant,
                        "content_id", tenant + "-huge-" + round, "op", "UPSERT", "version", 1,
                        "occurred_at", "2026-11-01T10:00:01Z", "title", "Flink tutorial",
                        "body", "Flink tutorial. ".repeat(70_000)));
                byte[] raw = Json.toString(huge).getBytes(StandardCharsets.UTF_8);
                bad.add(deadLetter(key + "huge", "record of " + raw.length + " bytes exceeds the limit of 1048576 bytes", raw));
            }
        }
        return bad;
    }

    private static ExpectedDeadLetter deadLetter(String key, String error, byte[] raw) {
        return new ExpectedDeadLetter(key, Pattern.compile(error), raw);
    }

    // --- the LLM -----------------------------------------------------------------------------

    /** A content's text in the prompt, as the request body carries it: its topic and its number. */
    private static final Pattern NUMBERED_TEXT = Pattern.compile("(Flink|Kafka) tutorial #(\\d+)");
    private static final int LLM_INPUT_TOKENS = 200;
    private static final int LLM_OUTPUT_TOKENS = 40;

    /** The fake's answer for content i: its topic and tutorial, each with a confidence of its own that depends on i only. */
    private static String llmAnswer(String topic, int i) {
        return "{\"tags\": [{\"tag\": \"topic::" + topic.toLowerCase(java.util.Locale.ROOT) + "\", \"confidence\": "
                + topicConfidence(i) + ", \"reason\": \"" + topic + "\"}, {\"tag\": \"content_type::tutorial\", "
                + "\"confidence\": " + tutorialConfidence(i) + ", \"reason\": \"tutorial\"}]}";
    }

    private static double topicConfidence(int i) {
        return (80 + i % 17) / 100.0;
    }

    private static double tutorialConfidence(int i) {
        return (60 + i % 23) / 100.0;
    }

    /**
     * The title's label matches (KeywordTagger.TITLE_EVIDENCE) support the LLM's tags: the
     * {@code llm} tagger is an ensemble whose sources' agreement is noisy-OR evidence, rounded to 4 places.
     */
    private static final double TITLE_EVIDENCE = 0.6;

    private static double supported(double llm) {
        return Math.round((1 - (1 - llm) * (1 - TITLE_EVIDENCE)) * 10_000) / 10_000.0;
    }

    /** Every tag event of the stream is the LLM's (supported by the title), with the confidence the fake gave for its content. */
    private static void assertEachTagCameFromTheLlm(ContentStream stream) throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < stream.contents(); i++) {
            String id = stream.contentId(i);
            String llm = " llm " + config.get("llm.model") + " tag-v1";
            expected.add(id + " v1 ADDED content_type::tutorial " + supported(tutorialConfidence(i)) + llm);
            expected.add(id + " v1 ADDED topic::flink " + supported(topicConfidence(i)) + llm);
            expected.add(id + " v2 ADDED topic::kafka " + supported(topicConfidence(i)) + llm);
            expected.add(id + " v2 REMOVED topic::flink 0.0" + llm);
        }
        assertThat(probe.query("SELECT content_id, tag_version, action, tag, confidence, source, model, prompt_version "
                        + "FROM tag_events WHERE content_id LIKE ?", stream.prefix() + "-%"))
                .as("tag events: the LLM's tags with its confidences").map(r -> String.join(" ", r[0], "v" + r[1], r[2], r[3],
                        Double.toString(Double.parseDouble(r[4])), r[5], r[6], r[7]))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * {@code llm_usage} is written by the tagger itself, one INSERT per call, right after the
     * answer and outside Flink's checkpoints (PostgresLlmRecorder): it records calls, not
     * contents. What holds after a TaskManager failure, and is asserted here: every row is a call
     * the endpoint served (first attempt, answered, the tokens it reported); every content has at
     * least one row per version (a version's tags go on only after its call was recorded); calls
     * served but not recorded are at most those in flight when the TaskManager died (one per
     * tag generation subtask); and, restored from the checkpoint before the kill, the calls made
     * since are made and recorded again, so a content can have more rows than versions. What does
     * not hold: one row per content version (replays add rows), nor one row per call served (a
     * call answered just before the kill may have no row).
     */
    private static void assertLlmUsageAgreesWithTheCallsServed(ContentStream stream, Map<String, AtomicInteger> served,
            boolean restoredTheCheckpointBeforeTheKill) throws Exception {
        List<String[]> usage = probe.query("SELECT content_id, tenant, attempt, outcome, input_tokens, output_tokens, model, "
                + "prompt_version, purpose FROM llm_usage");
        assertThat(usage).as("llm_usage: each row a first attempt, answered, with the tokens the endpoint reported")
                .map(r -> String.join(" ", List.of(r).subList(1, r.length)))
                .containsOnly(String.join(" ", stream.prefix(), "1", "ok", Integer.toString(LLM_INPUT_TOKENS),
                        Integer.toString(LLM_OUTPUT_TOKENS), config.get("llm.model"), "tag-v1", "tagging"));
        Map<String, Long> rows = new TreeMap<>();
        usage.forEach(r -> rows.merge(r[0], 1L, Long::sum));
        List<String> ids = java.util.stream.IntStream.range(0, stream.contents()).mapToObj(stream::contentId).toList();
        assertThat(rows.keySet()).as("contents with rows in llm_usage").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(served.keySet()).as("contents the endpoint was asked about").containsExactlyInAnyOrderElementsOf(ids);
        long total = served.values().stream().mapToLong(AtomicInteger::get).sum();
        System.out.printf("llm_usage after the TaskManager died: %d rows for %d contents (%d versions), %d of them with more "
                + "rows than versions; %d calls served%n", usage.size(), ids.size(), 2 * ids.size(),
                rows.values().stream().filter(n -> n > 2).count(), total);
        long unrecorded = 0;
        for (String id : ids) {
            long calls = served.get(id).get();
            assertThat(rows.get(id)).as(id + ": rows of llm_usage, at least one per version, at most one per call served")
                    .isBetween(2L, calls);
            unrecorded += calls - rows.get(id);
        }
        assertThat(unrecorded).as("calls served that llm_usage lacks: at most those in flight when the TaskManager died")
                .isLessThanOrEqualTo(config.getInt("job.parallelism"));
        if (restoredTheCheckpointBeforeTheKill) {
            assertThat((long) usage.size()).as("rows of llm_usage: the calls made again after the restore are recorded again")
                    .isGreaterThan(2L * stream.contents());
        }
    }

    // --- output ------------------------------------------------------------------------------

    /** Waits until the stream is under way, some of it is in PostgreSQL and a checkpoint followed; returns that checkpoint. */
    private static long awaitProgressAndCheckpoint(ContentStream stream) throws Exception {
        await().atMost(RECOVERY).until(() -> probe.count(
                "SELECT count(*) FROM tag_events WHERE content_id LIKE ?", stream.prefix() + "-%") > 0);
        long seen = flink.latestCheckpoint(jobId);
        await().atMost(RECOVERY).until(() -> flink.latestCheckpoint(jobId) > seen);
        return flink.latestCheckpoint(jobId);
    }

    /** Once recovered, the job keeps running and checkpointing, with no restart for 10 s: no restart loop. */
    private static void assertRunsOnWithoutRestarting() throws Exception {
        long restarts = flink.restarts(jobId);
        long checkpoint = flink.latestCheckpoint(jobId);
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20))
                .until(() -> flink.restarts(jobId) == restarts && flink.allTasksRunning(jobId));
        assertThat(flink.latestCheckpoint(jobId)).as("checkpoints completed meanwhile").isGreaterThan(checkpoint);
    }

    /**
     * Every output holds exactly what the stream implies: its tag events, current tags and
     * documents, the weights of its tenant's tags, no dropped tags, and the dead letters of every
     * bad record the suite has sent so far, each once on content.dlq and in dead_letters.
     */
    private static void assertExactlyWhatTheInputImplies(ContentStream stream) throws Exception {
        List<String> events = new ArrayList<>();
        List<String> current = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < stream.contents(); i++) {
            String id = stream.contentId(i);
            events.add(id + " v1 ADDED content_type::tutorial");
            events.add(id + " v1 ADDED topic::flink");
            events.add(id + " v2 ADDED topic::kafka");
            events.add(id + " v2 REMOVED topic::flink");
            current.add(id + " content_type::tutorial v1");
            current.add(id + " topic::kafka v2");
            documents.add(id + " v2 [content_type::tutorial, topic::kafka]");
        }
        outputs.assertExactly(stream.prefix() + "-", new ExactTagOutputs.Expected(events, current, documents));
        outputs.assertTagStats(stream.prefix());
        outputs.assertDrops(stream.prefix() + "-", List.of());
        outputs.assertDeadLetters(config.get("topic.content-events"), deadLetters);
    }

    /** The job's configuration as a file the JobManager reads; the password stays in the stack's secrets file. */
    private static Path writeJobConfig(Map<String, String> settings) throws Exception {
        Properties properties = new Properties();
        config.printable().forEach((key, value) -> {
            if (!key.equals("postgres.password")) {
                properties.setProperty(key, value);
            }
        });
        properties.putAll(settings);
        properties.setProperty("postgres.password-file", stack.work().resolve("secrets/postgres.password").toString());
        Path file = stack.work().resolve(config.get("kafka.group-id") + ".properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "FailureRecoveryIT");
        }
        return file;
    }
}
