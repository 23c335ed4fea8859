package io.tagstream.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.statefun.flink.core.StatefulFunctionsConfig;
import org.apache.flink.statefun.flink.core.feedback.FeedbackKey;
import org.apache.flink.statefun.flink.core.message.Message;
import org.apache.flink.statefun.flink.core.message.MessageFactoryType;
import org.apache.flink.statefun.flink.core.message.RoutableMessage;
import org.apache.flink.statefun.flink.core.message.RoutableMessageBuilder;
import org.apache.flink.statefun.flink.core.translation.EmbeddedTranslator;
import org.apache.flink.statefun.sdk.Context;
import org.apache.flink.statefun.sdk.FunctionType;
import org.apache.flink.statefun.sdk.StatefulFunction;
import org.apache.flink.statefun.sdk.StatefulFunctionProvider;
import org.apache.flink.statefun.sdk.io.EgressIdentifier;
import org.apache.flink.statefun.sdk.annotations.Persisted;
import org.apache.flink.statefun.sdk.state.PersistedValue;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;

class StatefunSpikeTest {
    static final FunctionType ECHO = new FunctionType("t", "echo");
    static final EgressIdentifier<String> OUT = new EgressIdentifier<>("t", "out", String.class);

    static final class Echo implements StatefulFunction {
        @Persisted PersistedValue<Integer> count = PersistedValue.of("count", Integer.class);
        @Override public void invoke(Context context, Object input) {
            int n = count.getOrDefault(0) + 1;
            count.set(n);
            context.send(OUT, context.self().id() + ":" + input + ":" + n);
        }
    }

    static final class Provider implements StatefulFunctionProvider, java.io.Serializable {
        @Override public StatefulFunction functionOfType(FunctionType type) { return new Echo(); }
    }

    @Test
    void runs() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<RoutableMessage> in = env.fromData("a", "b", "a").map(s -> RoutableMessageBuilder.builder()
                .withTargetAddress(ECHO, s).withMessageBody(s).build()).returns(TypeInformation.of(RoutableMessage.class));
        StatefulFunctionsConfig cfg = StatefulFunctionsConfig.fromFlinkConfiguration(new Configuration());
        cfg.setFactoryType(MessageFactoryType.WITH_CUSTOM_PAYLOADS);
        cfg.setCustomPayloadSerializerClassName(JsonPayloads.class.getName());
        cfg.setEmbedded(true);
        Map<org.apache.flink.statefun.sdk.io.EgressIdentifier<?>, DataStream<?>> out = new EmbeddedTranslator(cfg,
                new FeedbackKey<Message>("spike", 1)).translate(List.of(in), List.of(OUT), Map.of(ECHO, new Provider()));
        @SuppressWarnings("unchecked") DataStream<String> s = (DataStream<String>) out.get(OUT);
        List<String> got = s.executeAndCollect(3);
        assertThat(got).containsExactlyInAnyOrder("a:a:1", "b:b:1", "a:a:2");
    }
}
