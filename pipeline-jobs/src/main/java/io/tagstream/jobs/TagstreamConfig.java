package io.tagstream.jobs;

import io.tagstream.schemas.IngestLimits;
import io.tagstream.sinks.postgres.PostgresConnection;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Tagstream's configuration: documented defaults, overridden by a properties file, overridden by
 * environment variables ({@code TAGSTREAM_} + the key in upper case with {@code .} and {@code -}
 * as {@code _}, e.g. {@code TAGSTREAM_KAFKA_BOOTSTRAP_SERVERS}). See {@code docs/configuration.md}.
 *
 * <p>The database password is read from {@code TAGSTREAM_POSTGRES_PASSWORD} or from the file named
 * by {@code postgres.password-file}, never from the properties file itself, and is never printed.
 */
public final class TagstreamConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> values;

    private TagstreamConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kafka.bootstrap-servers", "127.0.0.1:9092");
        d.put("kafka.group-id", "tagstream-tagging");
        d.put("kafka.transactional-id-prefix", "tagstream-tagging");
        d.put("kafka.transaction-timeout-ms", "600000");
        d.put("topic.content-events", "content.events");
        d.put("topic.tag-events", "tag.events");
        d.put("topic.feedback", "tag.feedback");
        d.put("topic.taxonomy-commands", "taxonomy.commands");
        d.put("topic.tag-stats", "tag.stats");
        d.put("topic.dead-letters", "content.dlq");
        d.put("topic.retag-requests", "content.retag");
        d.put("topic.suggest-requests", "suggest.requests");
        d.put("topic.suggest-responses", "suggest.responses");
        d.put("topic.partitions", "2");
        d.put("postgres.url", "jdbc:postgresql://127.0.0.1:5432/tagstream");
        d.put("postgres.sink.batch-size", "2000");
        d.put("postgres.user", "tagstream");
        d.put("postgres.password-file", "");
        d.put("elasticsearch.url", "http://127.0.0.1:9200");
        d.put("elasticsearch.index-prefix", "");
        d.put("taxonomy.file", "");
        d.put("tagging.top-k", "3");
        d.put("tagging.tagger", "ensemble");
        d.put("tagging.embedding.model-en", "bge-small-en-v15");
        d.put("tagging.embedding.model-zh", "bge-small-zh-v15");
        d.put("tagging.embedding.neighbours", "20");
        d.put("tagging.embedding.temperature", "0.05");
        d.put("tagging.min-confidence", "0.5");
        d.put("tagging.embedding.zero-shot-min-z", "1.0");
        d.put("tagging.embedding.unseen-tag-min-z", "4.0");
        d.put("tagging.embedding.min-examples", "30");
        d.put("tagging.embedding.min-positives", "20");
        d.put("tagging.embedding.heads-weight", "0.5");
        d.put("tagging.embedding.ridge", "0.3");
        d.put("tagging.embedding.similarity-prior", "0.08");
        d.put("tagging.examples.refresh-ms", "5000");
        d.put("tagging.async.capacity", "64");
        d.put("tagging.async.timeout-ms", "60000");
        d.put("tagging.batch-size", "32");
        d.put("tagging.cache-size", "10000");
        d.put("llm.provider", "openai");
        d.put("llm.base-url", "");
        d.put("llm.model", "gpt-4o-mini");
        d.put("llm.api-key-env", "OPENAI_API_KEY");
        d.put("llm.prompt-version", "tag-v1");
        d.put("llm.timeout-ms", "20000");
        d.put("llm.max-attempts", "3");
        d.put("llm.backoff-ms", "500");
        d.put("llm.breaker.failures", "5");
        d.put("llm.breaker.open-ms", "30000");
        d.put("llm.budget.max-tokens-per-item", "4000");
        d.put("llm.budget.max-usd-per-item", "0.01");
        d.put("llm.max-output-tokens", "512");
        d.put("llm.price.input-usd-per-mtok", "0.15");
        d.put("llm.price.output-usd-per-mtok", "0.60");
        d.put("ingest.max-record-bytes", Integer.toString(IngestLimits.DEFAULT_MAX_RECORD_BYTES));
        d.put("ingest.max-future-skew-ms", Long.toString(IngestLimits.DEFAULT_MAX_FUTURE_SKEW.toMillis()));
        d.put("version-gate.remembered-event-ids", "32");
        d.put("feedback.max-pending-per-content", "100");
        d.put("cooccurrence.flush-interval-ms", "5000");
        d.put("weights.half-life-ms", "604800000");
        d.put("weights.tenant-half-life-ms", "");
        d.put("weights.trend-half-life-ms", "86400000");
        d.put("weights.floor", "0.01");
        d.put("weights.emit-interval-ms", "5000");
        d.put("weights.prune-delay-ms", "86400000");
        d.put("job.name", "tagstream-tagging");
        d.put("job.parallelism", "0");
        d.put("job.buffer-timeout-ms", "10");
        d.put("checkpoint.interval-ms", "10000");
        d.put("api.bind-address", "127.0.0.1");
        d.put("api.port", "8090");
        d.put("api.tokens-file", "");
        d.put("api.threads", "8");
        d.put("suggest.job-name", "tagstream-suggest");
        d.put("suggest.taxonomy-file", "");
        d.put("suggest.max-cost", "0.015");
        d.put("suggest.max-turns", "15");
        d.put("suggest.max-calls-per-tool", "5");
        d.put("suggest.idle-timeout-ms", "120000");
        d.put("suggest.max-identical-refinements", "3");
        d.put("suggest.checkpoint-interval-ms", "1000");
        return Collections.unmodifiableMap(d);
    }

    /** Defaults, then {@code file} (may be null), then the environment. */
    public static TagstreamConfig load(Path file, Map<String, String> env) throws IOException {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        if (file != null) {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            }
            for (String key : props.stringPropertyNames()) {
                if (key.equals("postgres.password")) {
                    throw new IllegalArgumentException(file + ": do not put postgres.password in a file; set "
                            + "TAGSTREAM_POSTGRES_PASSWORD or postgres.password-file");
                }
                requireKnown(key, file.toString());
                values.put(key, props.getProperty(key).strip());
            }
        }
        for (String key : DEFAULTS.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        }
        String password = env.get(envName("postgres.password"));
        if (password != null) {
            values.put("postgres.password", password);
        }
        return new TagstreamConfig(values);
    }

    /** The defaults with some keys changed; for tests and tools. */
    public static TagstreamConfig of(Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!e.getKey().equals("postgres.password")) {
                requireKnown(e.getKey(), "overrides");
            }
            values.put(e.getKey(), e.getValue());
        }
        return new TagstreamConfig(values);
    }

    /** This configuration with some keys changed; for tests and tools. */
    public TagstreamConfig with(Map<String, String> changes) {
        Map<String, String> changed = new LinkedHashMap<>(values);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            requireKnown(e.getKey(), "changes");
            changed.put(e.getKey(), e.getValue());
        }
        return new TagstreamConfig(changed);
    }

    public static String envName(String key) {
        return "TAGSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void requireKnown(String key, String where) {
        if (!DEFAULTS.containsKey(key)) {
            throw new IllegalArgumentException(where + ": unknown configuration key '" + key + "'; known keys: "
                    + String.join(", ", DEFAULTS.keySet()));
        }
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "'");
        }
        return value;
    }

    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key '" + key + "' must be a whole number, was '" + get(key) + "'");
        }
    }

    public double getDouble(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key '" + key + "' must be a number, was '" + get(key) + "'");
        }
    }

    public long getLong(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key '" + key + "' must be a whole number, was '" + get(key) + "'");
        }
    }

    /** The limits of the input boundary: {@code ingest.max-record-bytes}, {@code ingest.max-future-skew-ms}. */
    public IngestLimits ingestLimits() {
        return new IngestLimits(getInt("ingest.max-record-bytes"), Duration.ofMillis(getLong("ingest.max-future-skew-ms")));
    }

    public PostgresConnection postgres() throws IOException {
        String password = values.get("postgres.password");
        String file = get("postgres.password-file");
        if (password == null && !file.isEmpty()) {
            password = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        }
        return new PostgresConnection(get("postgres.url"), get("postgres.user"), password);
    }

    /** The keys {@code env} sets, in the order of the defaults. */
    public static java.util.List<String> keysSetBy(Map<String, String> env) {
        return DEFAULTS.keySet().stream().filter(key -> env.containsKey(envName(key))).toList();
    }

    /**
     * Writes every setting but the password to {@code file}, which {@link #load} reads back as this
     * configuration (a password set in the environment stays there; {@code postgres.password-file}
     * is written like any other setting).
     */
    public void store(Path file, String comment) throws IOException {
        Properties props = new Properties();
        values.forEach((key, value) -> {
            if (!key.equals("postgres.password")) {
                props.setProperty(key, value);
            }
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (java.io.Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, comment);
        }
    }

    /** Every setting but the password, for logs and {@code tagstream config}. */
    public Map<String, String> printable() {
        Map<String, String> shown = new TreeMap<>(values);
        if (shown.containsKey("postgres.password")) {
            shown.put("postgres.password", "***");
        }
        return shown;
    }

    @Override
    public String toString() {
        return "TagstreamConfig" + printable();
    }
}
