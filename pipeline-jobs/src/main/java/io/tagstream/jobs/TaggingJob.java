package io.tagstream.jobs;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.IngestedContent;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.kafka.ContentEventDeserializationSchema;
import io.tagstream.schemas.kafka.JsonRecordSerializationSchema;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchSink;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.sinks.postgres.PostgresSinks;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.flink.ContentTagStateFunction;
import io.tagstream.udfs.flink.RouteDeadLetters;
import io.tagstream.udfs.flink.TagGenerationFunction;
import io.tagstream.udfs.flink.VersionGateFunction;
import io.tagstream.udfs.tagging.KeywordTagger;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.nio.file.Path;
import java.util.Properties;
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
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tagging pipeline, read top to bottom as the data flows:
 *
 * <pre>
 * content.events ─► parse ─► version gate ─► tag generation ─► content tag state ─► tag events
 *                    └─► dead letters                                  │              ├─► tag.events (Kafka, exactly once)
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

        DataStream<IngestedContent> ingested = env.fromSource(
                        contentSource(config), WatermarkStrategy.noWatermarks(), "content.events")
                .uid("content-events-source");

        SingleOutputStreamOperator<ContentEvent> contents = ingested
                .process(new RouteDeadLetters())
                .uid("route-dead-letters")
                .name("parse / route dead letters");

        DataStream<DeadLetter> deadLetters = contents.getSideOutput(RouteDeadLetters.DEAD_LETTERS);
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

        DataStream<TaggedContent> tagged = admitted
                .map(new TagGenerationFunction(taxonomy, KeywordTagger.factory(), config.getInt("tagging.top-k")))
                .uid("tag-generation")
                .name("tag generation");

        // Tag generation is a forward-connected map, so records are still partitioned by content:
        // no second shuffle is needed to reach the content's tag state.
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

    private static KafkaSource<IngestedContent> contentSource(TagstreamConfig config) {
        return KafkaSource.<IngestedContent>builder()
                .setBootstrapServers(config.get("kafka.bootstrap-servers"))
                .setTopics(config.get("topic.content-events"))
                .setGroupId(config.get("kafka.group-id"))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ContentEventDeserializationSchema(config.getInt("ingest.max-record-bytes")))
                .build();
    }

    static <T> KafkaSink<T> kafkaSink(
            TagstreamConfig config, String topic, String purpose,
            org.apache.flink.util.function.SerializableFunction<T, String> key) {
        return kafkaSink(config, topic, purpose, key, DeliveryGuarantee.EXACTLY_ONCE);
    }

    static <T> KafkaSink<T> kafkaSink(
            TagstreamConfig config, String topic, String purpose,
            org.apache.flink.util.function.SerializableFunction<T, String> key, DeliveryGuarantee guarantee) {
        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, config.get("kafka.transaction-timeout-ms"));
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get("kafka.bootstrap-servers"))
                .setRecordSerializer(new JsonRecordSerializationSchema<>(topic, key))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(config.get("kafka.transactional-id-prefix") + "-" + purpose)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
