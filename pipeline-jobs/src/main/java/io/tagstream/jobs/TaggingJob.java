package io.tagstream.jobs;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.ContentEventReader;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.FeedbackEventReader;
import io.tagstream.schemas.RecordReader;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandReader;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.kafka.ContractDeserializationSchema;
import io.tagstream.schemas.kafka.JsonRecordSerializationSchema;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchSink;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.sinks.postgres.PostgresSinks;
import io.tagstream.sinks.postgres.PostgresTagExamples;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.flink.ContentTagStateFunction;
import io.tagstream.udfs.flink.RouteDeadLetters;
import io.tagstream.udfs.flink.AsyncTagGenerationFunction;
import io.tagstream.udfs.flink.EmbedExampleFunction;
import io.tagstream.udfs.flink.FeedbackExampleFunction;
import io.tagstream.udfs.flink.VersionGateFunction;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tagging pipeline, read top to bottom as the data flows:
 *
 * <pre>
 * content.events ─► parse ─► version gate ─► tag generation ─► content tag state ─► tag events
 *                    └─► dead letters            │   (async: embedding │              ├─► tag.events (Kafka, exactly once)
 *                                                │    / LLM / rules)   │              │
 * tag.feedback ─► parse ─────────────────────────┴─► feedback → examples ─► tag_examples (PostgreSQL)
 *                        (content.dlq, dead_letters)                   │              └─► tag_events, content_tags (PostgreSQL)
 *                                                                      └─► contents index (Elasticsearch)
 * </pre>
 *
 * <p>Every operator has a stable uid, so savepoints survive changes to the graph.
 */
public final class TaggingJob {
    private static final Logger LOG = LoggerFactory.getLogger(TaggingJob.class);

    private TaggingJob() {}

    /** Arguments: {@code [--config FILE] [--skip-setup]}; see {@code docs/configuration.md}. */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        LOG.info("Starting Tagstream tagging job with {}", config.printable());
        if (!params.has("skip-setup")) {
            StackSetup.run(config, LOG::info);
        }
        Taxonomy taxonomy = Taxonomies.load(config);
        LOG.info("Taxonomy {} with {} tags in {} dimensions", taxonomy.version(), taxonomy.tags().size(),
                taxonomy.dimensions().size());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config);
        build(env, config, taxonomy);
        env.execute(config.get("job.name"));
    }

    public static void configure(StreamExecutionEnvironment env, TagstreamConfig config) {
        Configuration flink = new Configuration();
        // Every type on the wire and in state has a Flink serializer; falling back to Kryo is a bug.
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(flink);
        env.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        env.enableCheckpointing(config.getLong("checkpoint.interval-ms"), CheckpointingMode.EXACTLY_ONCE);
        int parallelism = config.getInt("job.parallelism");
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
    }

    public static void build(StreamExecutionEnvironment env, TagstreamConfig config, Taxonomy taxonomy)
            throws java.io.IOException {
        PostgresConnection postgres = config.postgres();

        List<DataStream<DeadLetter>> rejected = new ArrayList<>();
        DataStream<ContentEvent> contents = ingest(env, config, "topic.content-events",
                new ContentEventReader(config.getInt("ingest.max-record-bytes")), ContentEvent.class, "content-events", rejected);
        DataStream<FeedbackEvent> feedback = ingest(env, config, "topic.feedback",
                new FeedbackEventReader(config.getInt("ingest.max-record-bytes")), FeedbackEvent.class, "feedback", rejected);
        DataStream<TaxonomyCommand> taxonomyCommands = ingest(env, config, "topic.taxonomy-commands",
                new TaxonomyCommandReader(config.getInt("ingest.max-record-bytes")), TaxonomyCommand.class,
                "taxonomy-commands", rejected);

        DataStream<DeadLetter> deadLetters = rejected.get(0).union(rejected.subList(1, rejected.size()).toArray(DataStream[]::new));
        deadLetters.sinkTo(kafkaSink(config, config.get("topic.dead-letters"), "dlq", DeadLetter::topic))
                .uid("dead-letters-kafka-sink")
                .name("content.dlq");
        deadLetters.sinkTo(PostgresSinks.deadLetters(postgres, PostgresSinks.defaultExecutionOptions()))
                .uid("dead-letters-postgres-sink")
                .name("dead_letters (PostgreSQL)");

        DataStream<ContentEvent> admitted = contents
                .keyBy(ContentEvent::contentKey)
                .process(new VersionGateFunction(config.getInt("version-gate.remembered-event-ids")))
                .uid("version-gate")
                .name("version gate");

        // Ordered, not unordered: the content tag state after it relies on per-content order. The
        // async operator is forward-connected with the same parallelism, so its output is still
        // partitioned by content and may be reinterpreted as keyed below.
        DataStream<TaggedContent> tagged = AsyncDataStream.orderedWait(
                        admitted,
                        new AsyncTagGenerationFunction(taxonomy, Taggers.factory(config, new PostgresTagExamples(postgres)),
                                config.getInt("tagging.top-k"), config.getInt("tagging.batch-size"),
                                config.getInt("tagging.cache-size")),
                        config.getLong("tagging.async.timeout-ms"), TimeUnit.MILLISECONDS,
                        config.getInt("tagging.async.capacity"))
                .uid("tag-generation")
                .name("tag generation");

        learnFromFeedback(config, postgres, admitted, feedback);

        // No second shuffle is needed to reach the content's tag state (see above).
        DataStream<TagChangeSet> changes = DataStreamUtils
                .reinterpretAsKeyedStream(tagged, t -> t.event().contentKey(), TypeInformation.of(String.class))
                .process(new ContentTagStateFunction())
                .uid("content-tag-state")
                .name("content tag state");

        DataStream<TagEvent> tagEvents = changes
                .flatMap((TagChangeSet c, org.apache.flink.util.Collector<TagEvent> out) -> c.events().forEach(out::collect))
                .returns(TagEvent.class)
                .uid("tag-events")
                .name("tag events");

        tagEvents.sinkTo(kafkaSink(config, config.get("topic.tag-events"), "tags", TagEvent::contentKey))
                .uid("tag-events-kafka-sink")
                .name("tag.events");
        tagEvents.sinkTo(PostgresSinks.tagEvents(postgres, PostgresSinks.defaultExecutionOptions()))
                .uid("tag-events-postgres-sink")
                .name("tag_events, content_tags (PostgreSQL)");
        changes.sinkTo(ElasticsearchSink.<TagChangeSet>builder()
                        .url(config.get("elasticsearch.url"))
                        .converter(new ContentDocuments(config.get("elasticsearch.index-prefix") + "contents"))
                        .build())
                .uid("contents-elasticsearch-sink")
                .name("contents (Elasticsearch)");
    }

    /**
     * Feedback becomes examples the embedding tagger learns from: keyed by content, the latest
     * text of each admitted content is remembered, and ACCEPT/ADD (or REJECT/REMOVE) on one of
     * its tags writes (or withdraws) that text, embedded, in {@code tag_examples}; taggers read
     * new rows every {@code tagging.examples.refresh-ms}.
     */
    private static void learnFromFeedback(TagstreamConfig config, PostgresConnection postgres,
            DataStream<ContentEvent> admitted, DataStream<FeedbackEvent> feedback) {
        admitted.connect(feedback)
                .keyBy(ContentEvent::contentKey, f -> ContentKey.of(f.tenant(), f.contentId()))
                .process(new FeedbackExampleFunction())
                .uid("feedback-examples")
                .name("feedback → examples")
                .map(new EmbedExampleFunction(Taggers.embeddingSettings(config)))
                .uid("embed-examples")
                .name("embed examples")
                .sinkTo(PostgresSinks.tagExamples(postgres, PostgresSinks.defaultExecutionOptions()))
                .uid("tag-examples-postgres-sink")
                .name("tag_examples (PostgreSQL)");
    }

    /**
     * Reads one input topic: valid records come out, dead letters are added to {@code rejected}.
     * Uids derive from {@code name}, so each input keeps its state across upgrades.
     */
    private static <T> DataStream<T> ingest(StreamExecutionEnvironment env, TagstreamConfig config, String topicKey,
            RecordReader<T> reader, Class<T> type, String name, List<DataStream<DeadLetter>> rejected) {
        KafkaSource<Either<DeadLetter, T>> source = KafkaSource.<Either<DeadLetter, T>>builder()
                .setBootstrapServers(config.get("kafka.bootstrap-servers"))
                .setTopics(config.get(topicKey))
                .setGroupId(config.get("kafka.group-id"))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ContractDeserializationSchema<>(reader, type))
                .build();
        SingleOutputStreamOperator<T> valid = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), config.get(topicKey))
                .uid(name + "-source")
                .process(new RouteDeadLetters<T>())
                .returns(type)
                .uid(name + "-route-dead-letters")
                .name("parse " + config.get(topicKey) + " / route dead letters");
        rejected.add(valid.getSideOutput(RouteDeadLetters.DEAD_LETTERS));
        return valid;
    }

    private static <T> KafkaSink<T> kafkaSink(
            TagstreamConfig config, String topic, String purpose,
            org.apache.flink.util.function.SerializableFunction<T, String> key) {
        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, config.get("kafka.transaction-timeout-ms"));
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get("kafka.bootstrap-servers"))
                .setRecordSerializer(new JsonRecordSerializationSchema<>(topic, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.get("kafka.transactional-id-prefix") + "-" + purpose)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
