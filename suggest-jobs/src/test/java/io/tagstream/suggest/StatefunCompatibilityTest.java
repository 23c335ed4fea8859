package io.tagstream.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.SessionPhase;
import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.tagging.KeywordTagger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.statefun.flink.core.StatefulFunctionsConfig;
import org.apache.flink.statefun.flink.core.StatefulFunctionsUniverse;
import org.apache.flink.statefun.flink.core.StatefulFunctionsUniverseProvider;
import org.apache.flink.statefun.flink.core.StatefulFunctionsUniverses;
import org.apache.flink.statefun.flink.core.feedback.FeedbackKey;
import org.apache.flink.statefun.flink.core.message.Message;
import org.apache.flink.statefun.flink.core.message.MessageFactoryKey;
import org.apache.flink.statefun.flink.core.message.RoutableMessage;
import org.apache.flink.statefun.flink.core.message.RoutableMessageBuilder;
import org.apache.flink.statefun.flink.core.translation.EmbeddedTranslator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The one compatibility change that lets Stateful Functions 3.3.0 run on Flink 1.20 (see
 * {@link StatefulFunctionsUniverses} and docs/decisions/0004-stateful-functions.md), checked three
 * ways: the replacement is the class that gets loaded, it gives back the provider the
 * configuration stored, and Stateful Functions operators really run a session on Flink 1.20.
 */
class StatefunCompatibilityTest {

    @Test
    void theReplacementIsTheClassThatIsLoaded() {
        String location = StatefulFunctionsUniverses.class.getProtectionDomain().getCodeSource().getLocation().getPath();

        assertThat(location).endsWith("suggest-jobs/target/classes/");
    }

    /** Why the replacement exists: if this stops failing, Flink or Stateful Functions fixed it and it can go. */
    @Test
    void statefunsOwnWayToReadTheProviderFailsOnFlink120() {
        StatefulFunctionsConfig config = SuggestionJob.statefun();
        config.setProvider(new FixedUniverse());

        assertThatThrownBy(() -> config.getProvider(getClass().getClassLoader()))
                .isInstanceOf(NoSuchMethodError.class)
                .hasMessageContaining("InstantiationUtil.deserializeObject(byte[], java.lang.ClassLoader, boolean)");
    }

    @Test
    void theReplacementReadsTheProviderTheConfigurationStored() {
        StatefulFunctionsConfig config = SuggestionJob.statefun();
        config.setProvider(new FixedUniverse());

        StatefulFunctionsUniverse universe = StatefulFunctionsUniverses.get(getClass().getClassLoader(), config);

        assertThat(StatefulFunctionsUniverses.provider(getClass().getClassLoader(), config)).isInstanceOf(FixedUniverse.class);
        assertThat(universe.messageFactoryKey()).isEqualTo(config.getFactoryKey());
    }

    @Test
    void statefulFunctionsOperatorsRunASessionOnFlink120() throws Exception {
        TagstreamConfig config = TagstreamConfig.of(Map.of());
        KnowledgeGraph graph = SuggestionJob.graph(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Instant t0 = Instant.parse("2026-11-21T10:00:00Z");
        DataStream<RoutableMessage> requests = env.fromData(
                        new SuggestRequest("r1", "s1", "acme", SuggestAction.START, "精靈少女在森林", null, false, t0),
                        new SuggestRequest("r2", "s2", "acme", SuggestAction.START, "一張圖", null, false, t0))
                .map(r -> RoutableMessageBuilder.builder().withTargetAddress(SuggestionFunction.TYPE, r.sessionId())
                        .withMessageBody(r).build())
                .returns(TypeInformation.of(RoutableMessage.class));

        DataStream<?> responses = new EmbeddedTranslator(SuggestionJob.statefun(), new FeedbackKey<Message>("compat", 1))
                .translate(List.of(requests), List.of(SuggestionFunction.RESPONSES, SuggestionFunction.SESSIONS), Map.of(SuggestionFunction.TYPE,
                        new SuggestionFunctionProvider(graph, KeywordTagger.factory(), SuggestionJob.limits(config))))
                .get(SuggestionFunction.RESPONSES);

        @SuppressWarnings("unchecked")
        List<SuggestResponse> answered = ((DataStream<SuggestResponse>) responses).executeAndCollect(2);
        assertThat(answered).extracting(r -> r.sessionId() + " " + r.phase())
                .containsExactlyInAnyOrder("s1 " + SessionPhase.EXPLORING, "s2 " + SessionPhase.UNDERSTANDING);
    }

    /** A provider that only proves it came back. */
    private static final class FixedUniverse implements StatefulFunctionsUniverseProvider {
        private static final long serialVersionUID = 1L;

        @Override
        public StatefulFunctionsUniverse get(ClassLoader classLoader, StatefulFunctionsConfig configuration) {
            return new StatefulFunctionsUniverse(MessageFactoryKey.forType(configuration.getFactoryType(),
                    configuration.getCustomPayloadSerializerClassName()));
        }
    }
}
