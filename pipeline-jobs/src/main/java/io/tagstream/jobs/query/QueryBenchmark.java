package io.tagstream.jobs.query;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.rebuild.ViewRebuild;
import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.sinks.postgres.PostgresMigrations;
import io.tagstream.udfs.content.ContentTagDiff;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.java.utils.ParameterTool;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@code tagstream bench-queries}: loads a synthetic log (by default 1 million tag events over
 * 100,000 contents and 5,000 tags, made by the tagging job's own {@link ContentTagDiff}) into a
 * fresh database with {@code COPY}, rebuilds {@code content_tags} from it, and measures the trace
 * queries one after another on one connection: content → tags now, as of a random moment,
 * tag → contents (top 50), and tag count at a moment, each against a {@code SELECT 1} round trip
 * measured in the same run. The database is dropped afterwards unless {@code --keep}.
 */
public final class QueryBenchmark {
    private static final String TENANT = "bench";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] DIMENSIONS = {"topic", "content_type", "audience", "mood", "region"};

    private QueryBenchmark() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        int events = params.getInt("events", 1_000_000);
        int contents = params.getInt("contents", 100_000);
        int tags = params.getInt("tags", 5_000);
        int samples = params.getInt("samples", 2_000);
        long started = System.nanoTime();

        PostgresConnection admin = config.postgres();
        String database = "tagstream_bench_" + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        PostgresConnection bench = new PostgresConnection(withDatabase(admin.url(), database), admin.user(), admin.password());
        execute(admin, "CREATE DATABASE " + database);
        try {
            PostgresMigrations.apply(bench, line -> {});
            Dataset data = load(bench, events, contents, tags);
            long rebuildStart = System.nanoTime();
            long rows = new ViewRebuild(bench, new ElasticsearchBulk(config.get("elasticsearch.url")), "unused", line -> {})
                    .rebuildContentTags();
            Duration rebuild = Duration.ofNanos(System.nanoTime() - rebuildStart);
            execute(bench, "ANALYZE");
            System.out.printf(Locale.ROOT, "loaded %,d tag events over %,d contents and %,d tags in %.1f s (COPY); "
                            + "content_tags rebuilt from the log: %,d rows in %.1f s%n",
                    data.events(), contents, tags, data.loadTime().toMillis() / 1000.0, rows, rebuild.toMillis() / 1000.0);
            measure(bench, data, samples);
        } finally {
            if (!params.has("keep")) {
                execute(admin, "DROP DATABASE " + database);
            } else {
                System.out.println("kept database " + database);
            }
        }
        System.out.printf(Locale.ROOT, "total %.0f s; command: java -cp pipeline-jobs/target/tagstream-jobs.jar:<flink classpath> "
                + "%s --events %d --contents %d --tags %d --samples %d (./tagstream bench-queries)%n",
                (System.nanoTime() - started) / 1e9, QueryBenchmark.class.getName(), events, contents, tags, samples);
    }

    /** What was loaded, for picking query arguments that hit it. */
    record Dataset(long events, int contents, int tags, Instant end, Duration loadTime) {}

    static Dataset load(PostgresConnection bench, int events, int contents, int tags) throws SQLException {
        Random random = new Random(42);
        int eventsPerContent = Math.max(1, events / contents);
        long start = System.nanoTime();
        long written = 0;
        Instant last = START;
        try (Connection c = bench.open()) {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY tag_events (event_id, tenant, "
                    + "content_id, content_version, tag_version, tag, dimension, action, confidence, previous_confidence, "
                    + "source, model, prompt_version, taxonomy_version, reason, occurred_at, processed_at) FROM STDIN "
                    + "WITH (FORMAT csv)");
            StringBuilder csv = new StringBuilder(1 << 20);
            for (int i = 0; i < contents; i++) {
                String contentId = "content-" + i;
                Map<String, TagAssignment> current = new TreeMap<>();
                long tagVersion = 0;
                int produced = 0;
                Instant at = START.plusSeconds(i * 30L);
                for (long contentVersion = 1; produced < eventsPerContent; contentVersion++) {
                    List<TagAssignment> next = nextTags(current, random, tags, contentVersion == 1);
                    ContentEvent event = new ContentEvent("e", TENANT, contentId, ContentOp.UPSERT, contentVersion, at,
                            null, null, null, null, null, null);
                    Optional<io.tagstream.udfs.content.TagChangeSet> changes = ContentTagDiff.diff(current, tagVersion,
                            new TaggedContent(event, next, "bench-taxonomy"), at);
                    if (changes.isPresent()) {
                        for (TagEvent e : changes.get().events()) {
                            csv(csv, e);
                        }
                        produced += changes.get().events().size();
                        tagVersion = changes.get().tagVersion();
                        current.clear();
                        changes.get().current().forEach(t -> current.put(t.tag(), t));
                    }
                    last = at.isAfter(last) ? at : last;
                    at = at.plus(Duration.ofMinutes(1 + random.nextInt(48 * 60)));
                }
                written += produced;
                if (csv.length() > (1 << 20) - 4096) {
                    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    csv.setLength(0);
                }
            }
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        }
        return new Dataset(written, contents, tags, last, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The next tag set: 4 tags at first, then one change at a time (a new tag, a dropped one, a new confidence). */
    private static List<TagAssignment> nextTags(Map<String, TagAssignment> current, Random random, int tags, boolean first) {
        List<TagAssignment> next = new ArrayList<>(current.values());
        if (first) {
            while (next.size() < 4) {
                TagAssignment tag = randomTag(random, tags);
                if (next.stream().noneMatch(t -> t.tag().equals(tag.tag()))) {
                    next.add(tag);
                }
            }
            return next;
        }
        switch (random.nextInt(3)) {
            case 0 -> {
                TagAssignment tag = randomTag(random, tags);
                if (next.stream().noneMatch(t -> t.tag().equals(tag.tag()))) {
                    next.add(tag);
                }
            }
            case 1 -> {
                if (next.size() > 1) {
                    next.remove(random.nextInt(next.size()));
                }
            }
            default -> {
                if (!next.isEmpty()) {
                    int i = random.nextInt(next.size());
                    TagAssignment old = next.get(i);
                    next.set(i, new TagAssignment(old.tag(), old.dimension(), confidence(random), old.source(),
                            old.model(), old.reason()));
                }
            }
        }
        return next;
    }

    /** Popular tags are used far more often than rare ones, as in real taxonomies. */
    private static TagAssignment randomTag(Random random, int tags) {
        int index = skewed(random, tags);
        String dimension = DIMENSIONS[index % DIMENSIONS.length];
        return new TagAssignment(dimension + "::tag-" + index, dimension, confidence(random), TagSource.EMBEDDING,
                "bench-model", "similar to tag-" + index);
    }

    private static int skewed(Random random, int n) {
        return (int) (n * Math.pow(random.nextDouble(), 3));
    }

    private static double confidence(Random random) {
        return Math.round((0.3 + 0.7 * random.nextDouble()) * 1000) / 1000.0;
    }

    private static void csv(StringBuilder csv, TagEvent e) {
        csv.append(e.eventId()).append(',').append(e.tenant()).append(',').append(e.contentId()).append(',')
                .append(e.contentVersion()).append(',').append(e.tagVersion()).append(',').append(e.tag()).append(',')
                .append(e.dimension()).append(',').append(e.action().name()).append(',').append(e.confidence()).append(',')
                .append(e.previousConfidence() == null ? "" : e.previousConfidence().toString()).append(',')
                .append(e.source().wireName()).append(',').append(e.model()).append(",,").append(e.taxonomyVersion())
                .append(",\"").append(e.reason().replace("\"", "\"\"")).append("\",").append(e.occurredAt()).append(',')
                .append(e.processedAt()).append('\n');
    }

    /** One query to time, given a random source. */
    private interface Probe {
        void run(TagQueries queries, Random random) throws SQLException;
    }

    static void measure(PostgresConnection bench, Dataset data, int samples) throws SQLException {
        long span = Duration.between(START, data.end()).toSeconds();
        Map<String, Probe> probes = new java.util.LinkedHashMap<>();
        probes.put("content -> tags, now", (q, r) -> q.contentTags(TENANT, "content-" + r.nextInt(data.contents())));
        probes.put("content -> tags, as of", (q, r) -> q.contentTags(TENANT, "content-" + r.nextInt(data.contents()),
                START.plusSeconds((long) (r.nextDouble() * span))));
        probes.put("tag -> contents, top 50", (q, r) -> q.contentsWithTag(TENANT, tagName(skewed(r, data.tags())),
                new TagQueries.ContentFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        TagQueries.Order.CONFIDENCE, 50, Optional.empty())));
        probes.put("tag count at a moment", (q, r) -> q.count(TENANT, tagName(skewed(r, data.tags())),
                Optional.of(START.plusSeconds((long) (r.nextDouble() * span)))));

        try (Connection c = bench.open()) {
            TagQueries queries = new TagQueries(c);
            Random random = new Random(7);
            long[] baseline = time(samples, () -> selectOne(c));
            double base = percentile(baseline, 50);
            System.out.printf(Locale.ROOT, "%-26s %9s %9s %9s %12s%n", "query (" + samples + " samples)", "p50 ms",
                    "p99 ms", "max ms", "p50/baseline");
            print("baseline: SELECT 1", baseline, base);
            for (Map.Entry<String, Probe> probe : probes.entrySet()) {
                time(samples / 4, () -> probe.getValue().run(queries, random));
                print(probe.getKey(), time(samples, () -> probe.getValue().run(queries, random)), base);
            }
        }
    }

    private static String tagName(int index) {
        return DIMENSIONS[index % DIMENSIONS.length] + "::tag-" + index;
    }

    private interface Timed {
        void run() throws SQLException;
    }

    private static long[] time(int samples, Timed timed) throws SQLException {
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            timed.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void selectOne(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1"); ResultSet rs = q.executeQuery()) {
            rs.next();
        }
    }

    private static double percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static void print(String name, long[] sorted, double baseline) {
        System.out.printf(Locale.ROOT, "%-26s %9.3f %9.3f %9.3f %11.1fx%n", name, percentile(sorted, 50),
                percentile(sorted, 99), sorted[sorted.length - 1] / 1e6, percentile(sorted, 50) / baseline);
    }

    private static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        return path.substring(0, path.lastIndexOf('/') + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    private static void execute(PostgresConnection connection, String sql) throws SQLException {
        try (Connection c = connection.open(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
