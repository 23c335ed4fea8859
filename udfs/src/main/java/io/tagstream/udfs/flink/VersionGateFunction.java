package io.tagstream.udfs.flink;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.udfs.content.GateState;
import io.tagstream.udfs.content.VersionGate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Keyed by content: lets through the events that move a content forward ({@link VersionGate}). */
public class VersionGateFunction extends KeyedProcessFunction<String, ContentEvent, ContentEvent> {
    private static final long serialVersionUID = 1L;

    private final int rememberedEventIds;
    private transient VersionGate gate;
    private transient ValueState<GateState> state;
    private transient Counter duplicates;
    private transient Counter stale;

    public VersionGateFunction(int rememberedEventIds) {
        this.rememberedEventIds = rememberedEventIds;
    }

    @Override
    public void open(OpenContext openContext) {
        gate = new VersionGate(rememberedEventIds);
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("gate", TypeInformation.of(GateState.class)));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateContentEvents");
        stale = getRuntimeContext().getMetricGroup().counter("staleContentEvents");
    }

    @Override
    public void processElement(ContentEvent event, Context ctx, Collector<ContentEvent> out) throws Exception {
        VersionGate.Outcome outcome = gate.admit(state.value(), event);
        switch (outcome.verdict()) {
            case ACCEPTED -> {
                state.update(outcome.state());
                out.collect(outcome.event());
            }
            case DUPLICATE -> duplicates.inc();
            case STALE -> stale.inc();
        }
    }
}
