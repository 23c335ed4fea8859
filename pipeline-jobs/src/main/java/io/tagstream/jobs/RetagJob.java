package io.tagstream.jobs;

import io.tagstream.jobs.retag.StoredContentDeserializer;
import io.tagstream.jobs.retag.TaggingStateHandOver;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.TagEvent;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchSink;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.sinks.postgres.PostgresSinks;
import io.tagstream.sinks.postgres.TagEventRows;
import io.tagstream.udfs.content.ContentRetag;
import io.tagstream.udfs.content.RetagInput;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.flink.RetagFunction;
import io.tagstream.udfs.tagging.KeywordTagger;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.core.datastream.source.JdbcSource;
import org.apache.flink.connector.jdbc.core.datastream.source.reader.extractor.ResultExtractor;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-tags stored content after a model or taxonomy change, as a bounded (batch) job, and writes
 * only the differences: versioned tag events whose reason starts with {@code retag: }, stamped
 * with the new model and taxonomy versions, to the same sinks as the tagging job.
 *
 * <pre>
 * content.events (earliest → the tagging job's committed offsets) ─┐
 * tag_events (the log: each content's tags and tag version) ───────┼─► keyBy content ─► re-tag ─► tag.events, tag_events, content_tags, contents
 * content_erasures (never re-tagged) ──────────────────────────────┘                     └─► the tagging job's content tag state (savepoint)
 * </pre>
 *
 * <p>The pipeline keeps no content text of its own: the text is re-read from {@code content.events}
 * (so it reaches back as far as the topic's retention), and each content's events go through the
 * tagging job's version gate again to find the version it accepted last.
 *
 * <p>The tagging job keeps each content's tags and tag version in its state; after a re-tag that
 * state must know the new versions. So the re-tag runs while the tagging job is stopped with a
 * savepoint ({@code --tagging-savepoint}), and writes a copy of that savepoint whose content tag
 * state is the re-tag's result ({@code --output-savepoint}), from which the tagging job resumes.
 * See {@code docs/operations.md}, "Re-tagging".
 */
public final class RetagJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetagJob.class);

    private RetagJob() {}

    /**
     * Arguments: {@code [--config FILE] [--effective-at TIME] [--until committed|latest]
     * [--tagging-savepoint DIR --output-savepoint DIR] [--skip-setup]}.
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        if (!params.has("skip-setup")) {
            StackSetup.run(config, LOG::info);
        }
        Taxonomy taxonomy = Taxonomies.load(config);
        Instant effectiveAt = params.has("effective-at")
                ? OffsetDateTime.parse(params.get("effective-at")).toInstant()
                : Instant.now(Clock.systemUTC());
        if (params.has("tagging-savepoint") != params.has("output-savepoint")) {
            throw new IllegalArgumentException("--tagging-savepoint and --output-savepoint go together");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config);
        build(env, config, taxonomy, effectiveAt, params.get("until", "committed").equals("latest"),
                params.get("tagging-savepoint"), params.get("output-savepoint"));
        System.out.printf("re-tagging with taxonomy %s (%d tags), effective at %s%n", taxonomy.version(),
                taxonomy.tags().size(), effectiveAt);
        JobExecutionResult result = env.execute("tagstream-retag");
        for (ContentRetag.Outcome outcome : ContentRetag.Outcome.values()) {
            Long count = result.getAccumulatorResult(RetagFunction.accumulator(outcome));
            System.out.printf("  %-18s %d contents%n", outcome.name().toLowerCase(java.util.Locale.ROOT), count == null ? 0 : count);
        }
        if (params.has("output-savepoint")) {
            System.out.println("the tagging job resumes from " + params.get("output-savepoint"));
        }
    }

    public static void configure(StreamExecutionEnvironment env, TagstreamConfig config) {
        Configuration flink = new Configuration();
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(flink);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        int parallelism = config.getInt("job.parallelism");
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
    }

    /**
     * @param toLatest read content.events to its end instead of to the tagging job's committed offsets
     * @param taggingSavepoint the stopped tagging job's savepoint, or {@code null} to leave its state alone
     * @param outputSavepoint where the tagging job's savepoint with the re-tagged state goes
     */
    public static void build(StreamExecutionEnvironment env, TagstreamConfig config, Taxonomy taxonomy,
            Instant effectiveAt, boolean toLatest, String taggingSavepoint, String outputSavepoint) throws Exception {
        PostgresConnection postgres = config.postgres();

        DataStream<RetagInput> stored = env.fromSource(contentSource(config, toLatest), WatermarkStrategy.noWatermarks(),
                        "content.events (bounded)")
                .uid("retag-content-events-source");
        DataStream<RetagInput> logged = env.fromSource(jdbcSource(postgres, "SELECT " + TagEventRows.COLUMNS + " FROM tag_events",
                        rs -> RetagInput.logged(TagEventRows.read(rs))), WatermarkStrategy.noWatermarks(), "tag_events")
                .uid("retag-tag-events-source");
        DataStream<RetagInput> erased = env.fromSource(jdbcSource(postgres, "SELECT tenant, content_id FROM content_erasures",
                        rs -> RetagInput.erased(ContentKey.of(rs.getString(1), rs.getString(2)))),
                        WatermarkStrategy.noWatermarks(), "content_erasures")
                .uid("retag-erasures-source");

        SingleOutputStreamOperator<TagChangeSet> changes = stored.union(logged, erased)
                .keyBy(RetagInput::contentKey)
                .process(new RetagFunction(taxonomy, KeywordTagger.factory(), config.getInt("tagging.top-k"),
                        config.getInt("version-gate.remembered-event-ids"), effectiveAt))
                .uid("retag")
                .name("re-tag");

        DataStream<TagEvent> events = changes
                .flatMap((TagChangeSet c, org.apache.flink.util.Collector<TagEvent> out) -> c.events().forEach(out::collect))
                .returns(TagEvent.class)
                .uid("retag-events")
                .name("re-tag events");
        // At least once: the Kafka connector 3.4.0 aborts its own pre-committed transaction at the end of a
        // batch job (FLINK-37622, fixed in 4.0). The event ids are deterministic, so a consumer that meets an
        // event twice after a failover can tell; tag_events and the index ignore repeats anyway.
        events.sinkTo(TaggingJob.kafkaSink(config, config.get("topic.tag-events"), "retag", TagEvent::contentKey,
                        DeliveryGuarantee.AT_LEAST_ONCE))
                .uid("retag-events-kafka-sink")
                .name("tag.events");
        events.sinkTo(PostgresSinks.tagEvents(postgres, PostgresSinks.defaultExecutionOptions()))
                .uid("retag-events-postgres-sink")
                .name("tag_events, content_tags (PostgreSQL)");
        changes.sinkTo(ElasticsearchSink.<TagChangeSet>builder()
                        .url(config.get("elasticsearch.url"))
                        .converter(new ContentDocuments(config.get("elasticsearch.index-prefix") + "contents"))
                        .build())
                .uid("retag-contents-elasticsearch-sink")
                .name("contents (Elasticsearch)");

        if (taggingSavepoint != null) {
            TaggingStateHandOver.write(env, changes.getSideOutput(RetagFunction.STATES), taggingSavepoint, outputSavepoint);
        }
    }

    private static KafkaSource<RetagInput> contentSource(TagstreamConfig config, boolean toLatest) {
        return KafkaSource.<RetagInput>builder()
                .setBootstrapServers(config.get("kafka.bootstrap-servers"))
                .setTopics(config.get("topic.content-events"))
                // The tagging job's group: its committed offsets are where the re-tag stops. Nothing is committed here.
                .setGroupId(config.get("kafka.group-id"))
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(toLatest ? OffsetsInitializer.latest() : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new StoredContentDeserializer(config.getInt("ingest.max-record-bytes")))
                .build();
    }

    private static JdbcSource<RetagInput> jdbcSource(PostgresConnection postgres, String sql,
            ResultExtractor<RetagInput> extractor) {
        return JdbcSource.<RetagInput>builder()
                .setDBUrl(postgres.url())
                .setUsername(postgres.user())
                .setPassword(postgres.password())
                .setDriverName("org.postgresql.Driver")
                .setSql(sql)
                .setResultExtractor(extractor)
                .setTypeInformation(TypeInformation.of(RetagInput.class))
                // a cursor, so the log streams through instead of being held in memory
                .setAutoCommit(false)
                .setResultSetFetchSize(5_000)
                .build();
    }
}
