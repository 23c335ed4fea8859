package io.tagstream.jobs;

import io.tagstream.jobs.retag.StoredContentDeserializer;
import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentKey;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.udfs.content.RetagInput;
import io.tagstream.udfs.content.RetagRequests;
import io.tagstream.udfs.flink.RetagFunction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.core.datastream.source.JdbcSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-tags stored content after a model or taxonomy change, as a bounded (batch) job:
 *
 * <pre>
 * content.events (earliest → the tagging job's committed offsets) ─┐
 * content_erasures (never re-tagged) ──────────────────────────────┴─► keyBy content ─► latest accepted version ─► content.retag
 * </pre>
 *
 * <p>The pipeline keeps no content text of its own, so the text is re-read from
 * {@code content.events} (as far back as its retention reaches); each content's events go
 * through the tagging job's version gate again to find the version it accepted last. That
 * version goes to {@code content.retag} as a re-tag request stamped with the re-tag's effective
 * time. The running tagging job, already on the new model and knowledge graph, tags it again and
 * records only the differences, as the content's next tag version with reasons {@code retag: ...}
 * and the new taxonomy version ({@code ContentTagLedger#onRetag}): the one operator that owns a
 * content's tags and versions stays their only writer, and users' verdicts keep holding.
 * Sending a request twice changes nothing the second time.
 */
public final class RetagJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetagJob.class);

    private RetagJob() {}

    /** Arguments: {@code [--config FILE] [--effective-at TIME] [--until committed|latest] [--skip-setup]}. */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        if (!params.has("skip-setup")) {
            StackSetup.run(config, LOG::info);
        }
        Instant effectiveAt = params.has("effective-at")
                ? OffsetDateTime.parse(params.get("effective-at")).toInstant()
                : Instant.now(Clock.systemUTC());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config);
        build(env, config, effectiveAt, params.get("until", "committed").equals("latest"));
        System.out.printf("re-tag requests effective at %s, to %s%n", effectiveAt, config.get("topic.retag-requests"));
        JobExecutionResult result = env.execute("tagstream-retag");
        for (RetagRequests.Outcome outcome : RetagRequests.Outcome.values()) {
            Long count = result.getAccumulatorResult(RetagFunction.accumulator(outcome));
            System.out.printf("  %-10s %d contents%n", outcome.name().toLowerCase(Locale.ROOT), count == null ? 0 : count);
        }
        System.out.println("the tagging job re-tags the requested contents and records what changed (reason 'retag: ...')");
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

    /** @param toLatest read content.events to its end instead of to the tagging job's committed offsets */
    public static void build(StreamExecutionEnvironment env, TagstreamConfig config, Instant effectiveAt,
            boolean toLatest) throws java.io.IOException {
        DataStream<RetagInput> stored = env.fromSource(contentSource(config, toLatest), WatermarkStrategy.noWatermarks(),
                        "content.events (bounded)")
                .uid("retag-content-events-source");
        DataStream<RetagInput> erased = env.fromSource(erasures(config.postgres()), WatermarkStrategy.noWatermarks(),
                        "content_erasures")
                .uid("retag-erasures-source");

        stored.union(erased)
                .keyBy(RetagInput::contentKey)
                .process(new RetagFunction(config.getInt("version-gate.remembered-event-ids"), effectiveAt))
                .uid("retag-requests")
                .name("latest accepted version")
                // At least once: the Kafka connector 3.4.0 aborts its own pre-committed transaction at the
                // end of a batch job (FLINK-37622, fixed in 4.0). A repeated request changes nothing.
                .sinkTo(ContractTopics.sink(config, config.get("topic.retag-requests"), "retag",
                        ContentEvent::contentKey, DeliveryGuarantee.AT_LEAST_ONCE))
                .uid("retag-requests-kafka-sink")
                .name(config.get("topic.retag-requests"));
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
                .setDeserializer(new StoredContentDeserializer(config.ingestLimits()))
                .build();
    }

    private static JdbcSource<RetagInput> erasures(PostgresConnection postgres) {
        return JdbcSource.<RetagInput>builder()
                .setDBUrl(postgres.url())
                .setUsername(postgres.user())
                .setPassword(postgres.password())
                .setDriverName("org.postgresql.Driver")
                .setSql("SELECT tenant, content_id FROM content_erasures")
                .setResultExtractor(rs -> RetagInput.erased(ContentKey.of(rs.getString(1), rs.getString(2))))
                .setTypeInformation(TypeInformation.of(RetagInput.class))
                .build();
    }
}
