package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.TagKey;
import io.tagstream.schemas.TagStat;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.trending.TrendingTag;
import io.tagstream.sinks.trending.TrendingTagsSearch;
import io.tagstream.sinks.trending.TrendingTagsSql;
import io.tagstream.udfs.graph.KnowledgeGraph;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tag weights through the real {@link TaggingJob} on a MiniCluster against the real Kafka,
 * PostgreSQL and Elasticsearch. Contents, an author's tags (user ADDED: a use and positive
 * feedback) and their withdrawal (user REMOVED: negative), users' feedback on {@code tag.feedback}
 * (ACCEPT: CONFIRMED, REJECT: REJECTED), re-tagging, a late content and a tag that faded below the
 * floor, step by step; after each step the exact weights in {@code tag_stats}, and at the end in the
 * tags index and on {@code tag.stats}, and the trending answers of both stores.
 *
 * <p>Tenant t1 has a one-hour half-life and t2 the default week; the trend half-life is half an
 * hour. Every step is a whole number of half-lives, so the expected weights are written out here
 * in the same arithmetic the rules prescribe, and must match to the bit. Each step waits for the
 * previous one to be in PostgreSQL, so a late event is late on arrival too.
 */
class TagWeightsIT {
    private static final long HOUR = 3_600_000L;
    private static final long HALF_HOUR = HOUR / 2;
    private static final long WEEK = 168 * HOUR;
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    /** 1 + the feedback score after one positive vote, and after one negative vote. */
    private static final double UP = 1 + 1.0 / 3;
    private static final double DOWN = 1 + (-1.0 / 3);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static TagstreamConfig config;
    private static StackProbe probe;

    @BeforeAll
    static void createStack() throws Exception {
        // The expected tags are the keyword tagger's (EmbeddingTaggingJobIT runs the default ensemble).
        config = LocalStack.isolatedConfig("tag_weights_it", Map.of(
                "tagging.tagger", "keyword",
                "weights.tenant-half-life-ms", "t1=" + HOUR,
                "weights.trend-half-life-ms", Long.toString(HALF_HOUR),
                "weights.emit-interval-ms", "200"));
        probe = new StackProbe(config);
    }

    @AfterAll
    static void closeStack() {
        probe.close();
    }

    @Test
    void contentFeedbackAndReTaggingInterleavedGiveExactWeightsInEveryStore() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, KnowledgeGraph.of(LocalStack.taxonomy("it-taxonomy.json")));
        JobClient job = env.executeAsync("tag-weights-it");
        try {
            // 10:00 — two tutorials, one with its author's tag "Kafka"; a cooking post; t2 too.
            contents(
                    content("e1", "t1", "c1", 1L, T0, "Flink tutorial"),
                    content("e2", "t1", "c2", 1L, T0, "Flink tutorial", "", List.of("Kafka")),
                    content("e3", "t1", "c5", 1L, T0, "Cooking", "烹飪 and cooking", List.of()),
                    content("e4", "t2", "c1", 1L, T0, "Flink tutorial"));
            awaitStats(
                    stat("t1", "content_type::tutorial", 1.2, 1.2, 2, T0, 0.0, T0, HOUR, 2),
                    stat("t1", "topic::flink", 1.2, 1.2, 2, T0, 0.0, T0, HOUR, 2),
                    stat("t1", "topic::kafka", UP * 1.0, UP * 1.0, 1, T0, 1.0 / 3, T0, HOUR, 1),
                    stat("t1", "topic::cooking", 0.804, 0.804, 1, T0, 0.0, T0, HOUR, 1),
                    stat("t2", "content_type::tutorial", 0.6, 0.6, 1, T0, 0.0, T0, WEEK, 1),
                    stat("t2", "topic::flink", 0.6, 0.6, 1, T0, 0.0, T0, WEEK, 1));

            // 11:00 — c1 is re-tagged: kafka comes (scaled by the author's vote), flink goes (lowers nothing).
            Instant t11 = T0.plusMillis(HOUR);
            contents(content("e5", "t1", "c1", 2L, t11, "Kafka tutorial"));
            double kafka11 = UP * 1.0 * 0.5 + UP * 0.6;
            double kafkaTrend11 = UP * 1.0 * 0.25 + UP * 0.6;
            awaitStats(
                    stat("t1", "topic::kafka", kafka11, kafkaTrend11, 2, t11, 1.0 / 3, t11, HOUR, 1),
                    stat("t1", "topic::flink", 0.6, 0.3, 2, T0, 0.0, t11, HOUR, 1));
            // ... and a user accepts flink on c2: CONFIRMED, no use, positive from now on.
            feedback(feedback("f1", "c2", "topic::flink", "ACCEPT", t11));
            awaitStats(stat("t1", "topic::flink", 0.6, 0.3, 2, T0, 1.0 / 3, t11, HOUR, 2));

            // 12:00 — the author withdraws "Kafka" from c2 while c3 uses kafka: same timestamp, any order.
            Instant t12 = T0.plusMillis(2 * HOUR);
            contents(
                    content("e6", "t1", "c2", 2L, t12, "Flink tutorial"),
                    content("e7", "t1", "c3", 1L, t12, "Kafka tutorial"));
            double kafka12 = kafka11 * 0.5 + 0.6;
            double kafkaTrend12 = kafkaTrend11 * 0.25 + 0.6;
            awaitStats(
                    stat("t1", "topic::kafka", kafka12, kafkaTrend12, 3, t12, 0.0, t12, HOUR, 2),
                    stat("t1", "content_type::tutorial", 1.2 / 4 + 0.6, 1.2 / 16 + 0.6, 3, t12, 0.0, t12, HOUR, 1));
            // ... and a user rejects tutorial on c3, at the same time as its use: the use counts less.
            feedback(feedback("f2", "c3", "content_type::tutorial", "REJECT", t12));
            awaitStats(stat("t1", "content_type::tutorial", 1.2 / 4 + DOWN * 0.6, 1.2 / 16 + DOWN * 0.6, 3, t12,
                    -1.0 / 3, t12, HOUR, 2));

            // A content of 10:00 arrives late: it counts at each tag's latest time, decayed by its lateness.
            contents(content("e8", "t1", "c4", 1L, T0, "Flink tutorial"));
            TagStat tutorial = stat("t1", "content_type::tutorial", 1.2 / 4 + DOWN * 0.75, 1.2 / 16 + DOWN * 0.6375, 4,
                    t12, -1.0 / 3, t12, HOUR, 3);
            TagStat flink = stat("t1", "topic::flink", 0.6 + UP * 0.3, 0.3 + UP * 0.15, 3, T0, 1.0 / 3, t11, HOUR, 3);
            awaitStats(tutorial, flink);

            // 20:00 — cooking again, ten half-lives on: it had faded below the floor, so it starts afresh.
            // A week on for t2: one half-life of its own.
            Instant t20 = T0.plusMillis(10 * HOUR);
            Instant nextWeek = T0.plusMillis(WEEK);
            contents(
                    content("e9", "t1", "c6", 1L, t20, "Cooking", "烹飪 and cooking", List.of()),
                    content("e10", "t2", "c2", 1L, nextWeek, "Flink tutorial"));
            double t2Trend = 0.6 * Math.scalb(1.0, -336) + 0.6;
            List<TagStat> expected = List.of(
                    tutorial,
                    flink,
                    stat("t1", "topic::kafka", kafka12, kafkaTrend12, 3, t12, 0.0, t12, HOUR, 2),
                    stat("t1", "topic::cooking", 0.804, 0.804, 1, t20, 0.0, t20, HOUR, 1),
                    stat("t2", "content_type::tutorial", 0.3 + 0.6, t2Trend, 2, nextWeek, 0.0, nextWeek, WEEK, 1),
                    stat("t2", "topic::flink", 0.3 + 0.6, t2Trend, 2, nextWeek, 0.0, nextWeek, WEEK, 1));
            awaitStats(expected.toArray(TagStat[]::new));
            assertThat(postgresStats()).as("every tag's row, nothing else").containsExactlyInAnyOrderElementsOf(expected);

            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                for (TagStat stat : expected) {
                    JsonNode doc = probe.tagDocument(stat.tenant(), stat.tag());
                    assertThat(doc.path("_version").asLong()).isEqualTo(stat.version());
                    assertThat(Json.mapper().treeToValue(doc.path("_source"), TagStat.class)).isEqualTo(stat);
                }
            });

            Map<String, List<TagStat>> reported = new HashMap<>();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                for (TagStat s : probe.poll("topic.tag-stats", TagStat.class)) {
                    reported.computeIfAbsent(TagKey.of(s.tenant(), s.tag()), k -> new ArrayList<>()).add(s);
                }
                assertThat(reported.values()).map(r -> r.get(r.size() - 1)).containsExactlyInAnyOrderElementsOf(expected);
            });
            assertThat(reported.values()).allSatisfy(r -> assertThat(r).extracting(TagStat::version).isSorted()
                    .doesNotHaveDuplicates());

            // At 20:00 only cooking is rising (the others faded for hours); a week on, both t2 tags are.
            assertTrending(expected, "t1", null, t20, List.of("topic::cooking"));
            assertTrending(expected, "t1", "topic", t20, List.of("topic::cooking"));
            assertTrending(expected, "t1", "content_type", t20.plusMillis(HALF_HOUR), List.of());
            assertTrending(expected, "t2", null, nextWeek.plusMillis(3 * HOUR),
                    List.of("content_type::tutorial", "topic::flink"));
        } finally {
            job.cancel().get();
        }
    }

    // ---- trending -------------------------------------------------------------------------------

    /**
     * The heaviest and the fastest rising tags, from PostgreSQL and from Elasticsearch, in the order
     * and with the values of an independent computation on the expected stats.
     */
    private static void assertTrending(List<TagStat> stats, String tenant, String dimension, Instant at,
            List<String> risingTags) throws Exception {
        List<TagStat> candidates = stats.stream()
                .filter(s -> s.tenant().equals(tenant) && (dimension == null || dimension.equals(s.dimension())))
                .toList();
        List<TagStat> heaviest = sortedBy(candidates, s -> decayed(s.weight(), s.halfLifeMs(), s, at));
        List<TagStat> rising = sortedBy(candidates.stream().filter(s -> rising(s, at) >= 1e-6).toList(), s -> rising(s, at));
        assertThat(rising).extracting(TagStat::tag).as("the scenario").containsExactlyElementsOf(risingTags);

        try (Connection c = config.postgres().open()) {
            assertRanking(TrendingTagsSql.topByWeight(c, tenant, dimension, at, 10), heaviest, at);
            assertRanking(TrendingTagsSql.risingFastest(c, tenant, dimension, at, 10), rising, at);
            assertThat(TrendingTagsSql.topByWeight(c, tenant, dimension, at, 1)).extracting(TrendingTag::tag)
                    .containsExactly(heaviest.get(0).tag());
        }
        TrendingTagsSearch search = new TrendingTagsSearch(config.get("elasticsearch.url"),
                config.get("elasticsearch.index-prefix") + "tags");
        // Searches see a document once the index has refreshed (every second), unlike GET by id.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertRanking(search.topByWeight(tenant, dimension, at, 10), heaviest, at);
            assertRanking(search.risingFastest(tenant, dimension, at, 10), rising, at);
            assertRanking(search.risingFastest(tenant, dimension, at, 1), rising.subList(0, Math.min(1, rising.size())), at);
        });
    }

    private static void assertRanking(List<TrendingTag> actual, List<TagStat> expected, Instant at) {
        assertThat(actual).extracting(TrendingTag::tag).containsExactlyElementsOf(expected.stream().map(TagStat::tag).toList());
        for (int i = 0; i < actual.size(); i++) {
            TagStat s = expected.get(i);
            double weight = decayed(s.weight(), s.halfLifeMs(), s, at);
            // Math.pow against the rules' exact halvings: the last bits may differ.
            assertThat(actual.get(i).weight()).isCloseTo(weight, within(weight * 1e-12));
            assertThat(actual.get(i).risingPerDay()).isCloseTo(rising(s, at), within(Math.abs(rising(s, at)) * 1e-9));
        }
    }

    private static List<TagStat> sortedBy(List<TagStat> stats, ToDoubleFunction<TagStat> score) {
        return stats.stream()
                .sorted(Comparator.comparingDouble(score).reversed().thenComparing(TagStat::tag))
                .toList();
    }

    private static double decayed(double weight, long halfLifeMs, TagStat s, Instant at) {
        long age = Math.max(0, at.toEpochMilli() - s.updatedAt().toEpochMilli());
        return weight * Math.pow(2, -(double) age / halfLifeMs);
    }

    private static double rising(TagStat s, Instant at) {
        return Math.log(2) * 86_400_000.0 * (decayed(s.trendWeight(), s.trendHalfLifeMs(), s, at) / s.trendHalfLifeMs()
                - decayed(s.weight(), s.halfLifeMs(), s, at) / s.halfLifeMs());
    }

    // ---- expectations ---------------------------------------------------------------------------

    private static TagStat stat(String tenant, String tag, double weight, double trend, long uses, Instant lastUsed,
            double feedback, Instant updatedAt, long halfLife, int eventsAtUpdatedAt) {
        long t = updatedAt.toEpochMilli();
        return new TagStat(tenant, tag, tag.substring(0, tag.indexOf("::")), weight, trend, uses,
                StrictMath.log1p(uses), lastUsed, feedback, List.of(), updatedAt, halfLife, HALF_HOUR,
                StrictMath.log(weight) / StrictMath.log(2) + (double) t / halfLife,
                StrictMath.log(trend) / StrictMath.log(2) + (double) t / HALF_HOUR, (t << 20) | eventsAtUpdatedAt);
    }

    private static void awaitStats(TagStat... expected) {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(postgresStats()).containsAll(List.of(expected)));
    }

    private static List<TagStat> postgresStats() throws Exception {
        List<TagStat> stats = new ArrayList<>();
        try (Connection c = config.postgres().open();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM tag_stats")) {
            while (rs.next()) {
                stats.add(TrendingTagsSql.stat(rs));
            }
        }
        return stats;
    }

    // ---- input ----------------------------------------------------------------------------------

    private static String content(String eventId, String tenant, String contentId, long version, Instant at,
            String title) {
        return content(eventId, tenant, contentId, version, at, title, "", List.of());
    }

    private static String content(String eventId, String tenant, String contentId, long version, Instant at,
            String title, String body, List<String> userTags) {
        return Json.toString(Map.of("event_id", eventId, "tenant", tenant, "content_id", contentId, "op", "UPSERT",
                "version", version, "occurred_at", at.toString(), "title", title, "body", body, "user_tags", userTags));
    }

    private static void contents(String... events) throws Exception {
        probe.produce("topic.content-events", List.of(events));
    }

    private static void feedback(String... events) throws Exception {
        probe.produce("topic.feedback", List.of(events));
    }

    private static String feedback(String eventId, String contentId, String tag, String action, Instant at) {
        return Json.toString(Map.of("event_id", eventId, "tenant", "t1", "content_id", contentId, "tag", tag,
                "action", action, "actor", "editor-7", "occurred_at", at.toString()));
    }

}
