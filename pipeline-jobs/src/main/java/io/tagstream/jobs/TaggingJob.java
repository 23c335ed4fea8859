package io.tagstream.jobs;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.ContentEventReader;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.FeedbackEventReader;
import io.tagstream.schemas.IngestLimits;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandReader;
import io.tagstream.schemas.TagEvent;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchSink;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.sinks.postgres.PostgresSinks;
import io.tagstream.sinks.postgres.PostgresTagExamples;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.flink.ContentTagStateFunction;
import io.tagstream.udfs.flink.AsyncTagGenerationFunction;
import io.tagstream.udfs.flink.EmbedExampleFunction;
import io.tagstream.udfs.flink.FeedbackExampleFunction;
import io.tagstream.udfs.flink.VersionGateFunction;
import io.tagstream.udfs.content.ContentInput;
import io.tagstream.udfs.flink.CooccurrenceCountFunction;
import io.tagstream.udfs.graph.CooccurrenceDelta;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.tagging.TaggerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tagging pipeline, read top to bottom as the data flows:
 *
 * <pre>
 * content.events ─► parse ─► version gate ─► tag generation ─┐
 * tag.feedback ────► parse ──────────────────────────────────┤
 * content.retag ───► parse ─► tag generation (re-tag) ───────┴─► knowledge graph / ─► tag events ─► tag.events (Kafka, exactly once)
 * taxonomy.commands ─► parse ─► broadcast ─────────────────────►  content tag state  │             tag_events, content_tags (PostgreSQL)
 *    (every parse routes dead letters to content.dlq and dead_letters)    │          └─► contents index (Elasticsearch)
 *                                                                         └─► tag_drops, taxonomy_commands (PostgreSQL)
 * tag events ─► tag weights ─► tag_stats, tags index, tag.stats ({@link TagWeights})
 * admitted content + tag.feedback ─► feedback → examples ─► embed ─► tag_examples (PostgreSQL)
 * </pre>
 *
 * <p>Both tag generations are asynchronous (embedding / LLM / rules, {@code tagging.tagger}) and
 * use the same tagger, so a re-tag proposes what a new version of the content would get.
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
        KnowledgeGraph graph = Taxonomies.load(config);
        LOG.info("Knowledge graph {} with {} tags in {} dimensions", graph.version(),
                graph.taxonomy().tags().size(), graph.taxonomy().dimensions().size());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config);
        build(env, config, graph);
        env.execute(config.get("job.name"));
    }

    public static void configure(StreamExecutionEnvironment env, TagstreamConfig config) {
        Configuration flink = new Configuration();
        // Every type on the wire and in state has a Flink serializer; falling back to Kryo is a bug.
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(flink);
        // Every record type is immutable, so chained operators may share one instance instead of
        // each getting a deep copy (which cost about a tenth of the content tag state's thread).
        env.getConfig().enableObjectReuse();
        env.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        env.enableCheckpointing(config.getLong("checkpoint.interval-ms"), CheckpointingMode.EXACTLY_ONCE);
        // Flink's default of 100 ms per network hop is a throughput setting; a record crosses two
        // hops (version gate, content tag state), and a full buffer still leaves at once.
        env.setBufferTimeout(config.getLong("job.buffer-timeout-ms"));
        int parallelism = config.getInt("job.parallelism");
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
    }

    public static void build(StreamExecutionEnvironment env, TagstreamConfig config, KnowledgeGraph graph)
            throws java.io.IOException {
        PostgresConnection postgres = config.postgres();
        IngestLimits limits = config.ingestLimits();

        List<DataStream<DeadLetter>> rejected = new ArrayList<>();
        DataStream<ContentEvent> contents = ContractTopics.read(env, config, "topic.content-events",
                new ContentEventReader(limits), ContentEvent.class, "content-events", rejected);
        DataStream<FeedbackEvent> feedback = ContractTopics.read(env, config, "topic.feedback",
                new FeedbackEventReader(limits), FeedbackEvent.class, "feedback", rejected);
        // One reader, one partition: every parallel instance sees the commands in the same order.
        DataStream<TaxonomyCommand> taxonomyCommands = ContractTopics.read(env, config, "topic.taxonomy-commands",
                new TaxonomyCommandReader(limits), TaxonomyCommand.class, "taxonomy-commands", rejected);
        ((SingleOutputStreamOperator<TaxonomyCommand>) taxonomyCommands).setParallelism(1);

        DataStream<ContentEvent> admitted = contents
                .keyBy(ContentEvent::contentKey)
                .process(new VersionGateFunction(config.getInt("version-gate.remembered-event-ids")))
                .uid("version-gate")
                .name("version gate");

        // Both tag generations build their taggers from one factory: a re-tag proposes exactly
        // what tagging a new version of the content would.
        TaggerFactory taggers = Taggers.factory(config, new PostgresTagExamples(postgres));
        DataStream<TaggedContent> tagged = tagGeneration(config, graph, taggers, admitted, config.getInt("tagging.cache-size"))
                .uid("tag-generation")
                .name("tag generation");

        learnFromFeedback(config, postgres, admitted, feedback);

        // Re-tag requests (RetagJob): a content's current version, tagged again with the current
        // model; the content's tag state records only what changed. No unchanged-text cache: a
        // re-tag asks the tagger again, which may have learnt from examples since.
        DataStream<ContentEvent> retagRequests = ContractTopics.read(env, config, "topic.retag-requests",
                new ContentEventReader(limits), ContentEvent.class, "retag-requests", rejected);
        DataStream<ContentInput> retags = tagGeneration(config, graph, taggers, retagRequests, 0)
                .uid("retag-generation")
                .name("re-tag generation")
                .map(ContentInput::retag)
                .uid("retag-input")
                .name("re-tag requests");

        SingleOutputStreamOperator<TagChangeSet> changes = tagged.map(ContentInput::of)
                .uid("tagged-content-input")
                .name("tagged content")
                .union(feedback.map(ContentInput::of).uid("feedback-input").name("feedback"), retags)
                .keyBy(ContentInput::contentKey)
                .connect(taxonomyCommands.broadcast(ContentTagStateFunction.COMMANDS))
                .process(new ContentTagStateFunction(graph, config.getInt("tagging.top-k"),
                        config.getInt("feedback.max-pending-per-content"), config.get("topic.taxonomy-commands")))
                .uid("content-tag-state")
                .name("knowledge graph / content tag state");
        rejected.add(changes.getSideOutput(ContentTagStateFunction.REJECTED_COMMANDS));

        DataStream<TagEvent> tagEvents = changes
                .flatMap((TagChangeSet c, org.apache.flink.util.Collector<TagEvent> out) -> c.events().forEach(out::collect))
                .returns(TagEvent.class)
                .uid("tag-events")
                .name("tag events");

        tagEvents.sinkTo(ContractTopics.exactlyOnce(config, config.get("topic.tag-events"), "tags", TagEvent::contentKey))
                .uid("tag-events-kafka-sink")
                .name("tag.events");
        tagEvents.sinkTo(PostgresSinks.tagEvents(postgres, config.getInt("postgres.sink.batch-size")))
                .uid("tag-events-postgres-sink")
                .name("tag_events, content_tags (PostgreSQL)");
        changes.sinkTo(ElasticsearchSink.<TagChangeSet>builder()
                        .url(config.get("elasticsearch.url"))
                        .converter(new ContentDocuments(config.get("elasticsearch.index-prefix") + "contents"))
                        .deadLetters(postgres)
                        .build())
                .uid("contents-elasticsearch-sink")
                .name("contents (Elasticsearch)");
        TagWeights.attach(tagEvents, config);

        changes.getSideOutput(ContentTagStateFunction.DROPS)
                .sinkTo(PostgresSinks.tagDrops(postgres))
                .uid("tag-drops-postgres-sink")
                .name("tag_drops (PostgreSQL)");
        changes.getSideOutput(ContentTagStateFunction.APPLIED_COMMANDS)
                .sinkTo(PostgresSinks.taxonomyCommands(postgres))
                .uid("taxonomy-commands-postgres-sink")
                .name("taxonomy_commands (PostgreSQL)");

        changes.flatMap((TagChangeSet c, org.apache.flink.util.Collector<CooccurrenceDelta> out) ->
                        CooccurrenceDelta.of(c).forEach(out::collect))
                .returns(CooccurrenceDelta.class)
                .uid("cooccurrence-deltas")
                .name("co-occurrence deltas")
                .keyBy(CooccurrenceDelta::key)
                .process(new CooccurrenceCountFunction(config.getLong("cooccurrence.flush-interval-ms")))
                .uid("cooccurrence-counts")
                .name("co-occurrence counts")
                .sinkTo(PostgresSinks.cooccurrence(postgres))
                .uid("cooccurrence-postgres-sink")
                .name("tag_cooccurrence (PostgreSQL)");

        ContractTopics.sinkDeadLetters(config, rejected, "");
    }

    /**
     * Tags content events asynchronously ({@link AsyncTagGenerationFunction}). Ordered, not
     * unordered: the content tag state after it relies on per-content order, and the input is
     * partitioned by content, so each content's versions stay in one ordered channel.
     */
    private static SingleOutputStreamOperator<TaggedContent> tagGeneration(TagstreamConfig config, KnowledgeGraph graph,
            TaggerFactory taggers, DataStream<ContentEvent> events, int cacheSize) {
        return AsyncDataStream.orderedWait(
                events,
                new AsyncTagGenerationFunction(graph.taxonomy(), taggers, config.getInt("tagging.top-k"),
                        config.getInt("tagging.batch-size"), cacheSize),
                config.getLong("tagging.async.timeout-ms"), TimeUnit.MILLISECONDS,
                config.getInt("tagging.async.capacity"));
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
                .sinkTo(PostgresSinks.tagExamples(postgres))
                .uid("tag-examples-postgres-sink")
                .name("tag_examples (PostgreSQL)");
    }
}
