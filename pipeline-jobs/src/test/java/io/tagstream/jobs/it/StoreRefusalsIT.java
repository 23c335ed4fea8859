package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.sinks.elasticsearch.ElasticsearchSink;
import io.tagstream.sinks.elasticsearch.IndexAction;
import io.tagstream.sinks.postgres.PostgresSinks;
import io.tagstream.udfs.content.TagEventIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sinks against the real stores, with records those stores refuse for good and with a table
 * that is away until the sink has retried. The jobs run with no restarts allowed: a sink that
 * failed instead of setting a record aside, or gave up instead of waiting, fails its test.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StoreRefusalsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setConfiguration(FlinkSession.freshMetrics()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static TagstreamConfig config;
    private static StackProbe probe;

    @BeforeAll
    static void stack() throws Exception {
        config = LocalStack.isolatedConfig("store_refusals_it");
        probe = new StackProbe(config);
    }

    @AfterAll
    static void closeProbe() {
        probe.close();
    }

    @Test
    void aRowPostgresRefusesIsSetAsideAndTheRestIsWritten() throws Exception {
        List<TagEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // U+0000 and a tag past the B-tree's row limit: values no statement can store.
            String tag = i == 17 ? "topic::k\u0000" : i == 600 ? "topic::" + incompressible(12_000) : "topic::t" + i;
            events.add(event("refused", "c-" + i, tag));
        }

        run(events, "refusals");

        assertThat(probe.count("SELECT count(*) FROM tag_events WHERE tenant = 'refused'")).isEqualTo(998);
        assertThat(probe.query("SELECT store, target, content_id, code, error FROM store_dead_letters"
                        + " WHERE tenant = 'refused' ORDER BY content_id"))
                .map(r -> String.join(" | ", r[0], r[1], r[2], r[3]))
                .containsExactly("postgresql | tag_events | c-17 | 22021", "postgresql | tag_events | c-600 | 54000");
        assertThat(probe.query("SELECT error FROM store_dead_letters WHERE content_id = 'c-17'").get(0)[0])
                .contains("0x00");
        assertThat(probe.count("SELECT count(*) FROM store_dead_letters WHERE content_id = 'c-600'"
                + " AND record_size > 12000 AND convert_from(record, 'UTF8')::jsonb ->> 'tag' LIKE 'topic::%'"))
                .as("the whole record is kept").isEqualTo(1);

        run(events, "refusals again");

        assertThat(probe.count("SELECT count(*) FROM tag_events WHERE tenant = 'refused'")).isEqualTo(998);
        assertThat(probe.count("SELECT count(*) FROM store_dead_letters WHERE tenant = 'refused'"))
                .as("a replayed refusal is recorded once").isEqualTo(2);
    }

    @Test
    void aTableThatIsAwayIsWaitedForNotSetAside() throws Exception {
        probe.execute("ALTER TABLE tag_events RENAME TO tag_events_away");
        List<TagEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(event("away", "c-" + i, "topic::t" + i));
        }
        StreamExecutionEnvironment env = environment();
        env.fromData(events, TypeInformation.of(TagEvent.class)).sinkTo(PostgresSinks.tagEvents(config.postgres(), 200));
        JobClient job = env.executeAsync("table away");
        FlinkSession flink = FlinkSession.of(FLINK);
        String jobId = job.getJobID().toHexString();

        // The table comes back once the sink has met its absence and retried.
        await().atMost(Duration.ofMinutes(1)).until(() -> flink.operatorMetricSum(jobId, "storeRetries") >= 2);
        probe.execute("ALTER TABLE tag_events_away RENAME TO tag_events");
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);

        assertThat(probe.count("SELECT count(*) FROM tag_events WHERE tenant = 'away'")).isEqualTo(300);
        assertThat(probe.count("SELECT count(*) FROM store_dead_letters WHERE tenant = 'away'")).isZero();
    }

    @Test
    void documentsElasticsearchRefusesAreSetAsideAndTheRestIsIndexed() throws Exception {
        String index = config.get("elasticsearch.index-prefix") + "contents";
        StreamExecutionEnvironment env = environment();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            numbers.add(i);
        }
        env.fromData(numbers, TypeInformation.of(Integer.class))
                .sinkTo(ElasticsearchSink.<Integer>builder()
                        .url(config.get("elasticsearch.url"))
                        // An id over 512 bytes makes Elasticsearch refuse the whole bulk request.
                        .converter((ElementConverter<Integer, IndexAction>) (i, context) -> new IndexAction(index,
                                i == 23 ? "x".repeat(600) : "refused/c-" + i, 1, i == 7
                                        // the index's mapping is strict: an unknown field is refused
                                        ? "{\"tenant\": \"refused\", \"content_id\": \"c-7\", \"colour\": \"red\"}"
                                        : "{\"tenant\": \"refused\", \"content_id\": \"c-" + i + "\", \"tag_version\": 1}"))
                        .deadLetters(config.postgres())
                        .build());

        env.execute("elasticsearch refusals");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(probe.searchContents("{\"query\": {\"term\": {\"tenant\": \"refused\"}}, \"size\": 0,"
                + " \"track_total_hits\": true}").path("hits").path("total").path("value").asInt()).isEqualTo(48));
        assertThat(probe.query("SELECT store, target, content_id, code FROM store_dead_letters WHERE store = 'elasticsearch'"
                        + " ORDER BY content_id"))
                .map(r -> String.join(" | ", r))
                .containsExactly("elasticsearch | " + index + " | c-23 | 400",
                        "elasticsearch | " + index + " | c-7 | 400 strict_dynamic_mapping_exception");
    }

    private static JobExecutionResult run(List<TagEvent> events, String name) throws Exception {
        StreamExecutionEnvironment env = environment();
        env.fromData(events, TypeInformation.of(TagEvent.class))
                .sinkTo(PostgresSinks.tagEvents(config.postgres(), 200));
        return env.execute(name);
    }

    @SuppressWarnings("deprecation")
    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.setRestartStrategy(RestartStrategies.noRestart());
        return env;
    }

    /** Random Base64: PostgreSQL cannot compress it below the B-tree's limit for one row. */
    private static String incompressible(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(42).nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes).substring(0, length);
    }

    private static TagEvent event(String tenant, String contentId, String tag) {
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        return new TagEvent(TagEventIds.of(tenant, contentId, 1, tag, TagAction.ADDED), tenant, contentId, 1, 1, tag, "topic",
                TagAction.ADDED, 0.9, null, TagSource.RULE, "rules", null, "t1", "matched", at, at);
    }
}
