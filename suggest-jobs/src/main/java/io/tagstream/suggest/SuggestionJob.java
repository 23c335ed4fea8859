package io.tagstream.suggest;

import io.tagstream.jobs.ContractTopics;
import io.tagstream.jobs.StackSetup;
import io.tagstream.jobs.TaggingJob;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.Taxonomies;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestRequestReader;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.sinks.postgres.PostgresSinks;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.KnowledgeGraphFile;
import io.tagstream.udfs.suggest.SessionLimits;
import io.tagstream.udfs.suggest.SessionState;
import io.tagstream.udfs.tagging.KeywordTagger;
import io.tagstream.udfs.tagging.TaggerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.statefun.flink.core.StatefulFunctionsConfig;
import org.apache.flink.statefun.flink.core.feedback.FeedbackKey;
import org.apache.flink.statefun.flink.core.message.Message;
import org.apache.flink.statefun.flink.core.message.MessageFactoryType;
import org.apache.flink.statefun.flink.core.message.RoutableMessage;
import org.apache.flink.statefun.flink.core.message.RoutableMessageBuilder;
import org.apache.flink.statefun.flink.core.translation.EmbeddedTranslator;
import org.apache.flink.statefun.sdk.io.EgressIdentifier;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive tag-suggestion sessions, a Stateful Functions application embedded in a Flink 1.20
 * DataStream job:
 *
 * <pre>
 * suggest.requests ─► parse ─► route by session id ─► suggestion-session function ─► suggest.responses (Kafka, exactly once)
 *  (bad → content.dlq, dead_letters)                  (state, delayed idle checks) └─► suggest_sessions (PostgreSQL)
 * </pre>
 *
 * <p>Stateful Functions' own operators (feedback union, functions, feedback sink) get their uids
 * from Stateful Functions; every operator around them has a stable uid here.
 */
public final class SuggestionJob {
    private static final Logger LOG = LoggerFactory.getLogger(SuggestionJob.class);
    public static final String BUNDLED_TAXONOMY = "taxonomy/creative-ideas.yaml";
    /** Stateful Functions' feedback loop is an in-process channel per pipeline instance; keys must not repeat in a JVM. */
    private static final AtomicInteger PIPELINES = new AtomicInteger();

    private SuggestionJob() {}

    /** Arguments: {@code [--config FILE] [--skip-setup]}; see {@code docs/configuration.md}. */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        LOG.info("Starting Tagstream suggestion job with {}", config.printable());
        if (!params.has("skip-setup")) {
            StackSetup.run(config, LOG::info);
        }
        KnowledgeGraph graph = graph(config);
        LOG.info("Suggestion knowledge graph {} with {} tags in {} dimensions", graph.version(),
                graph.taxonomy().tags().size(), graph.taxonomy().dimensions().size());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config);
        build(env, config, graph, KeywordTagger.factory());
        env.execute(config.get("suggest.job-name"));
    }

    /** The tagging job's settings (RocksDB, no generic types), checkpointed as often as a conversation needs. */
    public static void configure(StreamExecutionEnvironment env, TagstreamConfig config) {
        TaggingJob.configure(env, config);
        env.enableCheckpointing(config.getLong("suggest.checkpoint-interval-ms"), CheckpointingMode.EXACTLY_ONCE);
    }

    public static SessionLimits limits(TagstreamConfig config) {
        return new SessionLimits(config.getDouble("suggest.max-cost"), config.getInt("suggest.max-turns"),
                config.getInt("suggest.max-calls-per-tool"), config.getLong("suggest.idle-timeout-ms"),
                config.getInt("suggest.max-identical-refinements"));
    }

    /** {@code suggest.taxonomy-file} when set, else the bundled creative-ideas taxonomy. */
    public static KnowledgeGraph graph(TagstreamConfig config) throws IOException {
        String file = config.get("suggest.taxonomy-file");
        return file.isEmpty() ? Taxonomies.resource(BUNDLED_TAXONOMY) : KnowledgeGraphFile.read(Path.of(file));
    }

    public static void build(StreamExecutionEnvironment env, TagstreamConfig config, KnowledgeGraph graph,
            TaggerFactory taggers) throws IOException {
        List<DataStream<DeadLetter>> rejected = new ArrayList<>();
        DataStream<SuggestRequest> requests = ContractTopics.read(env, config, "topic.suggest-requests",
                new SuggestRequestReader(config.ingestLimits()), SuggestRequest.class,
                "suggest-requests", rejected);

        DataStream<RoutableMessage> toSessions = requests
                .map(SuggestionJob::toSession)
                // Stateful Functions replaces this type with its own message type information.
                .returns(TypeInformation.of(RoutableMessage.class))
                .uid("suggest-requests-to-sessions")
                .name("to suggestion sessions");

        Map<EgressIdentifier<?>, DataStream<?>> egresses = new EmbeddedTranslator(statefun(),
                new FeedbackKey<Message>("tagstream-suggest", PIPELINES.incrementAndGet()))
                .translate(List.of(toSessions), List.of(SuggestionFunction.RESPONSES, SuggestionFunction.SESSIONS),
                        Map.of(SuggestionFunction.TYPE, new SuggestionFunctionProvider(graph, taggers, limits(config))));

        egress(egresses, SuggestionFunction.RESPONSES)
                .sinkTo(ContractTopics.exactlyOnce(config, config.get("topic.suggest-responses"), "suggest-responses",
                        SuggestResponse::sessionId))
                .uid("suggest-responses-kafka-sink")
                .name(config.get("topic.suggest-responses"));
        egress(egresses, SuggestionFunction.SESSIONS)
                .sinkTo(PostgresSinks.suggestSessions(config.postgres()))
                .uid("suggest-sessions-postgres-sink")
                .name("suggest_sessions (PostgreSQL)");
        ContractTopics.sinkDeadLetters(config, rejected, "suggest");
    }

    private static RoutableMessage toSession(SuggestRequest request) {
        return RoutableMessageBuilder.builder()
                .withTargetAddress(SuggestionFunction.TYPE, request.sessionId())
                .withMessageBody(request)
                .build();
    }

    /** Messages as {@link JsonPayloads}, embedded (no module.yaml, no Stateful Functions images). */
    static StatefulFunctionsConfig statefun() {
        StatefulFunctionsConfig statefun = StatefulFunctionsConfig.fromFlinkConfiguration(new Configuration());
        statefun.setFactoryType(MessageFactoryType.WITH_CUSTOM_PAYLOADS);
        statefun.setCustomPayloadSerializerClassName(JsonPayloads.class.getName());
        statefun.setEmbedded(true);
        return statefun;
    }

    @SuppressWarnings("unchecked")
    private static <T> DataStream<T> egress(Map<EgressIdentifier<?>, DataStream<?>> egresses, EgressIdentifier<T> id) {
        return (DataStream<T>) egresses.get(id);
    }
}
