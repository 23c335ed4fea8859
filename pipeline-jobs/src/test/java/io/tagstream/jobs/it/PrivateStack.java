package io.tagstream.jobs.it;

import io.tagstream.jobs.TagstreamConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local stack of its own, started with {@code local-cluster/up} on ports apart from the shared
 * one, for tests that stop, kill and restart services: they must never touch the stack other
 * tests and developers use. Its work dir (data, logs, pids, the database password) is kept
 * between runs, so only the first run unpacks Elasticsearch and PostgreSQL; every test still gets
 * fresh topics, a database and an index prefix from {@link #isolatedConfig}.
 */
public final class PrivateStack implements AutoCloseable {
    static final int KAFKA_PORT = 19092;
    static final int POSTGRES_PORT = 15432;
    static final int ES_PORT = 19200;
    static final int FLINK_PORT = 18081;

    private final Path work;
    private final Map<String, String> environment;

    private PrivateStack(Path work) {
        this.work = work;
        this.environment = Map.ofEntries(
                Map.entry("TAGSTREAM_WORK_DIR", work.toString()),
                Map.entry("TAGSTREAM_KAFKA_PORT", Integer.toString(KAFKA_PORT)),
                Map.entry("TAGSTREAM_KAFKA_CONTROLLER_PORT", "19093"),
                Map.entry("TAGSTREAM_POSTGRES_PORT", Integer.toString(POSTGRES_PORT)),
                Map.entry("TAGSTREAM_ES_PORT", Integer.toString(ES_PORT)),
                Map.entry("TAGSTREAM_ES_TRANSPORT_PORT", "19300"),
                Map.entry("TAGSTREAM_FLINK_PORT", Integer.toString(FLINK_PORT)),
                Map.entry("TAGSTREAM_FLINK_RPC_PORT", "16123"),
                Map.entry("TAGSTREAM_FLINK_PROMETHEUS_PORTS", "19249-19250"),
                Map.entry("TAGSTREAM_FLINK_TM_MEMORY", "1536m"),
                // A killed TaskManager is noticed after two missed heartbeats: seconds, not a minute.
                Map.entry("TAGSTREAM_FLINK_HEARTBEAT_INTERVAL_MS", "1000"),
                Map.entry("TAGSTREAM_FLINK_HEARTBEAT_TIMEOUT_MS", "10000"));
    }

    /** Starts Kafka, PostgreSQL, Elasticsearch and a Flink session cluster in {@code work}. */
    public static PrivateStack start(Path work) throws IOException, InterruptedException {
        PrivateStack stack = new PrivateStack(work.toAbsolutePath().normalize());
        // A run that died before its down may have left them running: start from a known state.
        stack.down();
        try {
            stack.up();
        } catch (IOException | RuntimeException e) {
            stack.down();
            throw e;
        }
        return stack;
    }

    /** {@code local-cluster/up [services]}: idempotent, and brings back a dead TaskManager. */
    public void up(String... services) throws IOException, InterruptedException {
        run("up", services);
    }

    /** {@code local-cluster/down [services]}: stops them gracefully (by pid). */
    public void down(String... services) throws IOException, InterruptedException {
        run("down", services);
    }

    /**
     * Kills a running service with SIGKILL ({@code kill -9}: no shutdown hook, no flush, no goodbye
     * to its peers) and waits until it is gone; {@link #up} starts it again. {@code service} names
     * a pid file of {@code up}: {@code kafka}, {@code postgres}, {@code elasticsearch}, {@code flink}
     * (the JobManager) or {@code flink-taskmanager}.
     */
    public void kill(String service) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid(service))
                .orElseThrow(() -> new IllegalStateException(service + " is not running"));
        // destroyForcibly is SIGKILL on Linux.
        if (!process.destroyForcibly()) {
            throw new IllegalStateException("could not send SIGKILL to " + service + " (pid " + process.pid() + ")");
        }
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    /** The pid of a running service, as {@code up} recorded it. */
    public long pid(String service) throws IOException {
        return Long.parseLong(Files.readString(work.resolve("pids/" + service + ".pid"), StandardCharsets.UTF_8).strip());
    }

    /** Fresh topics, database and index prefix on this stack. */
    public TagstreamConfig isolatedConfig(String testName, Map<String, String> settings) throws Exception {
        return LocalStack.isolatedConfig(testName, settings,
                new LocalStack.Ports(KAFKA_PORT, POSTGRES_PORT, ES_PORT), password());
    }

    public String flinkUrl() {
        return "http://127.0.0.1:" + FLINK_PORT;
    }

    public Path work() {
        return work;
    }

    private String password() throws IOException {
        return Files.readString(work.resolve("secrets/postgres.password"), StandardCharsets.UTF_8).strip();
    }

    private void run(String command, String... services) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("bash", LocalStack.root().resolve("local-cluster/" + command).toString()));
        argv.addAll(List.of(services));
        Files.createDirectories(work);
        Path log = work.resolve("stack-commands.log");
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Nothing of the shared stack's settings (its password, say) may leak into this one.
        builder.environment().keySet().removeIf(name -> name.startsWith("TAGSTREAM_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("local-cluster/" + command + " " + String.join(" ", services)
                    + " did not finish within 5 minutes; see " + log);
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            throw new IllegalStateException("local-cluster/" + command + " " + String.join(" ", services)
                    + " failed with exit code " + process.exitValue() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        down();
    }
}
