package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.json.Json;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The tagging job on a Flink session cluster of a {@link PrivateStack} (its own Kafka, PostgreSQL,
 * Elasticsearch and Flink processes, on other ports), while its parts fail: the TaskManager is
 * killed with SIGKILL, the Kafka broker restarts, PostgreSQL and Elasticsearch are away for 30 s,
 * and PostgreSQL turns slow. One job runs through all of it; each scenario streams its own
 * contents (two versions each, the second a second after the first, so updates cross the
 * failure) and then asserts that the tag events on Kafka (read committed), the rows of
 * {@code tag_events} and {@code content_tags}, and the documents of the contents index are exactly
 * what its input implies: four events per content, nothing missing, nothing twice. The LLM
 * endpoint failing is {@link LlmOutageIT}: it needs no private stack.
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
        submitJob(Map.of());
    }

    private static void submitJob(Map<String, String> settings) throws Exception {
        jobId = flink.submit(LocalStack.root().resolve("pipeline-jobs/target/tagstream-jobs.jar"),
                "io.tagstream.jobs.TaggingJob", List.of("--config", writeJobConfig(settings).toString()));
        await().atMost(RECOVERY).until(() -> flink.allTasksRunning(jobId));
        outputs = new ExactTagOutputs(probe, flink, jobId, RECOVERY);
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
        ContentStream stream = ContentStream.start("tm-kill", 600, "", 20);
        long restartsBefore = flink.restarts(jobId);
        long checkpointBefore = awaitProgressAndCheckpoint(stream);

        ProcessHandle.of(stack.pid("flink-taskmanager")).orElseThrow().destroyForcibly();
        stack.up("flink");

        await().atMost(RECOVERY).until(() -> flink.restarts(jobId) > restartsBefore && flink.allTasksRunning(jobId));
        assertThat(flink.restoredCheckpoint(jobId)).isGreaterThanOrEqualTo(checkpointBefore);
        stream.finished().get(2, TimeUnit.MINUTES);
        assertExactlyWhatTheInputImplies(stream);
    }

    @Test
    @Order(2)
    void kafkaBrokerRestart() throws Exception {
        ContentStream stream = ContentStream.start("kafka-restart", 600, "", 20);
        awaitProgressAndCheckpoint(stream);

        stack.down("kafka");
        stack.up("kafka");

        stream.finished().get(3, TimeUnit.MINUTES);
        assertExactlyWhatTheInputImplies(stream);
    }

    @Test
    @Order(3)
    void postgresAwayForThirtySeconds() throws Exception {
        awayForThirtySeconds("postgres");
    }

    @Test
    @Order(4)
    void elasticsearchAwayForThirtySeconds() throws Exception {
        awayForThirtySeconds("elasticsearch");
    }

    /** Stops {@code service} mid-stream for 30 s, during which the job may restart again and again but never gives up. */
    private static void awayForThirtySeconds(String service) throws Exception {
        ContentStream stream = ContentStream.start(service + "-away", 600, "", 20);
        awaitProgressAndCheckpoint(stream);

        stack.down(service);
        await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40))
                .until(() -> !flink.state(jobId).equals("FAILED"));
        stack.up(service);

        stream.finished().get(2, TimeUnit.MINUTES);
        assertExactlyWhatTheInputImplies(stream);
    }

    @Test
    @Order(5)
    void slowPostgresAppliesBackpressureAndNothingIsDropped() throws Exception {
        probe.execute("CREATE FUNCTION slow_tag_event() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM pg_sleep(0.01); RETURN NEW; END $$");
        probe.execute("CREATE TRIGGER slow_tag_event BEFORE INSERT ON tag_events FOR EACH ROW EXECUTE FUNCTION slow_tag_event()");
        long restartsBefore = flink.restarts(jobId);
        try {
            // Sent at once, 3,000 contents: thousands of tag events at 10 ms a row, batches of
            // 2,000 that hold the content tag state's thread (the sink is chained to it) for
            // seconds, longer than the REST API's metric refresh (10 s).
            ContentStream stream = ContentStream.start("slow-sink", 3000, "", 2000);
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
    @Order(6)
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
            ContentStream stream = ContentStream.start(prefix, 20, "", 20);
            stream.finished().get(1, TimeUnit.MINUTES);
            await().atMost(RECOVERY).until(() -> probe.count("SELECT count(DISTINCT content_id) FROM tag_events "
                    + "WHERE content_id LIKE ? AND model = 'bge-small-en-v15'", prefix + "-%") == stream.contents());
            assertThat(flink.restarts(jobId)).as("restarts of the job submitted again").isZero();
        }
    }

    // --- input -------------------------------------------------------------------------------

    /**
     * {@code contents} contents sent at {@code perTick} records every 100 ms: version 1 ("Flink
     * tutorial") of each block of 100 contents, then version 2 ("Kafka tutorial") of the block
     * before, so each content's update follows its first version by a block.
     */
    private record ContentStream(String prefix, int contents, CompletableFuture<Void> finished, AtomicInteger sent) {
        static ContentStream start(String prefix, int contents, String body, int perTick) {
            List<String> records = new ArrayList<>();
            int block = 100;
            for (int from = 0; from <= contents; from += block) {
                for (int i = from; i < Math.min(contents, from + block); i++) {
                    records.add(content(prefix, i, 1, "Flink tutorial", body));
                }
                for (int i = from - block; i >= 0 && i < from; i++) {
                    records.add(content(prefix, i, 2, "Kafka tutorial", body));
                }
            }
            ContentStream stream = new ContentStream(prefix, contents, new CompletableFuture<>(), new AtomicInteger());
            ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
            ticks.scheduleAtFixedRate(() -> {
                try {
                    int from = stream.sent().get();
                    int to = Math.min(records.size(), from + perTick);
                    probe.produce("topic.content-events", records.subList(from, to));
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
    }

    private static String content(String prefix, int i, long version, String title, String body) {
        Map<String, Object> event = new HashMap<>();
        event.put("event_id", prefix + "-" + i + "-v" + version);
        event.put("tenant", "t1");
        event.put("content_id", prefix + "-" + i);
        event.put("op", "UPSERT");
        event.put("version", version);
        event.put("occurred_at", "2026-11-01T10:00:0" + version + "Z");
        event.put("title", title);
        event.put("body", body);
        return Json.toString(event);
    }

    /** Waits until the stream is under way, some of it is in PostgreSQL and a checkpoint followed; returns that checkpoint. */
    private static long awaitProgressAndCheckpoint(ContentStream stream) throws Exception {
        await().atMost(RECOVERY).until(() -> probe.count(
                "SELECT count(*) FROM tag_events WHERE content_id LIKE ?", stream.prefix() + "-%") > 0);
        long seen = flink.latestCheckpoint(jobId);
        await().atMost(RECOVERY).until(() -> flink.latestCheckpoint(jobId) > seen);
        return flink.latestCheckpoint(jobId);
    }

    // --- output ------------------------------------------------------------------------------

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
