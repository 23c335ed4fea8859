package io.tagstream.udfs.flink;

import io.tagstream.udfs.graph.CooccurrenceCount;
import io.tagstream.udfs.graph.CooccurrenceDelta;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by tenant and tag pair: keeps the pair's count and emits it at most once per flush
 * interval, so a busy pair costs one row write per interval, not one per content. Processing time
 * decides only when a count is written, never what it is.
 */
public class CooccurrenceCountFunction extends KeyedProcessFunction<String, CooccurrenceDelta, CooccurrenceCount> {
    private static final long serialVersionUID = 1L;

    private final long flushIntervalMs;
    private transient ValueState<Long> count;
    private transient ValueState<Boolean> flushPending;

    public CooccurrenceCountFunction(long flushIntervalMs) {
        this.flushIntervalMs = flushIntervalMs;
    }

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        flushPending = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-pending", Types.BOOLEAN));
    }

    @Override
    public void processElement(CooccurrenceDelta delta, Context ctx, Collector<CooccurrenceCount> out) throws Exception {
        long current = count.value() == null ? 0 : count.value();
        count.update(Math.max(0, current + delta.delta()));
        if (flushPending.value() == null) {
            flushPending.update(true);
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + flushIntervalMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CooccurrenceCount> out) throws Exception {
        String[] key = ctx.getCurrentKey().split("\u0000", -1);
        out.collect(new CooccurrenceCount(key[0], key[1], key[2], count.value(), Instant.ofEpochMilli(timestamp)));
        flushPending.clear();
    }
}
