package io.tagstream.jobs.it;

import io.tagstream.jobs.StackSetup;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The real Kafka, PostgreSQL and Elasticsearch of {@code local-cluster}, started on first use with
 * {@code local-cluster/up} (a no-op when they already run) and shared by all integration tests.
 * Each test gets its own topics, database and index prefix, so tests neither see each other's
 * data nor a developer's running stack.
 *
 * <p>When {@code TAGSTREAM_POSTGRES_PASSWORD} is set and all three services answer on their ports,
 * the tests use them as they are (a stack started from another checkout, say) instead of running
 * {@code up} here.
 */
public final class LocalStack {
    private static boolean started;

    private LocalStack() {}

    public static synchronized void ensureRunning() throws IOException, InterruptedException {
        if (started) {
            return;
        }
        if (System.getenv("TAGSTREAM_POSTGRES_PASSWORD") != null
                && listening(port("TAGSTREAM_KAFKA_PORT", 9092))
                && listening(port("TAGSTREAM_POSTGRES_PORT", 5432))
                && listening(port("TAGSTREAM_ES_PORT", 9200))) {
            started = true;
            return;
        }
        Process up = new ProcessBuilder("bash", root().resolve("local-cluster/up").toString(),
                        "kafka", "postgres", "elasticsearch")
                .inheritIO()
                .start();
        int exit = up.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("local-cluster/up failed with exit code " + exit
                    + "; the service logs are in local-cluster/.work/logs");
        }
        started = true;
    }

    /** A configuration of fresh, uniquely named topics, database and indexes on the local stack. */
    public static TagstreamConfig isolatedConfig(String testName) throws Exception {
        return isolatedConfig(testName, Map.of());
    }

    /**
     * The same, with some other settings changed. Topics, schema and index templates are set up
     * ({@link StackSetup}), so the configuration is ready to run a job against.
     */
    public static TagstreamConfig isolatedConfig(String testName, Map<String, String> settings) throws Exception {
        ensureRunning();
        String password = System.getenv("TAGSTREAM_POSTGRES_PASSWORD") != null
                ? System.getenv("TAGSTREAM_POSTGRES_PASSWORD")
                : Files.readString(root().resolve("local-cluster/.work/secrets/postgres.password"),
                        StandardCharsets.UTF_8).strip();
        TagstreamConfig config = isolatedConfig(testName, settings, new Ports(port("TAGSTREAM_KAFKA_PORT", 9092),
                port("TAGSTREAM_POSTGRES_PORT", 5432), port("TAGSTREAM_ES_PORT", 9200)), password);
        StackSetup.run(config, line -> {});
        return config;
    }

    /** Where a stack's stores listen. */
    record Ports(int kafka, int postgres, int elasticsearch) {}

    /** Fresh topics, database and indexes on the stack listening on {@code ports}. */
    static TagstreamConfig isolatedConfig(String testName, Map<String, String> settings, Ports ports, String password)
            throws Exception {
        String id = testName.toLowerCase(Locale.ROOT) + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = DriverManager.getConnection(jdbcUrl(ports.postgres(), "tagstream"), "tagstream", password);
                Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + id);
        }
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap-servers", "127.0.0.1:" + ports.kafka());
        values.put("kafka.group-id", id);
        values.put("kafka.transactional-id-prefix", id);
        for (String topic : new String[] {"content-events", "tag-events", "feedback", "taxonomy-commands",
                "tag-stats", "dead-letters", "retag-requests", "suggest-requests", "suggest-responses"}) {
            values.put("topic." + topic, id + "." + topic);
        }
        values.put("postgres.url", jdbcUrl(ports.postgres(), id));
        values.put("postgres.password", password);
        values.put("elasticsearch.url", "http://127.0.0.1:" + ports.elasticsearch());
        values.put("elasticsearch.index-prefix", id.replace('_', '-') + "-");
        values.put("checkpoint.interval-ms", "1000");
        values.put("job.parallelism", "2");
        values.putAll(settings);
        return TagstreamConfig.of(values);
    }

    /** A taxonomy from the test resources. */
    public static Taxonomy taxonomy(String resource) throws IOException {
        try (InputStream in = LocalStack.class.getClassLoader().getResourceAsStream(resource)) {
            return TaxonomyFile.read(in, resource);
        }
    }

    static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null ? fallback : Integer.parseInt(value);
    }

    static Path root() {
        return Path.of(System.getProperty("tagstream.root", "..")).toAbsolutePath().normalize();
    }
}
