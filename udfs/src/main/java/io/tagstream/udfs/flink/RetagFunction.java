package io.tagstream.udfs.flink;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.udfs.content.RetagInput;
import io.tagstream.udfs.content.RetagRequests;
import io.tagstream.udfs.content.VersionGate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by content, in a bounded (batch) job: gathers a content's stored events and whether it
 * was erased, and once its key is complete (the end-of-input timer) emits its re-tag request
 * ({@link RetagRequests}). Counts the outcomes in accumulators.
 */
public class RetagFunction extends KeyedProcessFunction<String, RetagInput, ContentEvent> {
    private static final long serialVersionUID = 1L;

    private final int rememberedEventIds;
    private final Instant effectiveAt;
    private transient RetagRequests requests;
    private transient ListState<RetagInput> inputs;
    private transient Map<RetagRequests.Outcome, LongCounter> outcomes;

    /** @param effectiveAt when the re-tag takes effect: the time of its events, fixed for the whole run */
    public RetagFunction(int rememberedEventIds, Instant effectiveAt) {
        this.rememberedEventIds = rememberedEventIds;
        this.effectiveAt = effectiveAt;
    }

    /** The accumulator that counts contents with this outcome. */
    public static String accumulator(RetagRequests.Outcome outcome) {
        return "retag-" + outcome.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void open(OpenContext openContext) {
        requests = new RetagRequests(new VersionGate(rememberedEventIds), effectiveAt);
        inputs = getRuntimeContext().getListState(new ListStateDescriptor<>("inputs", TypeInformation.of(RetagInput.class)));
        outcomes = new EnumMap<>(RetagRequests.Outcome.class);
        for (RetagRequests.Outcome outcome : RetagRequests.Outcome.values()) {
            LongCounter counter = new LongCounter();
            getRuntimeContext().addAccumulator(accumulator(outcome), counter);
            outcomes.put(outcome, counter);
        }
    }

    @Override
    public void processElement(RetagInput input, Context ctx, Collector<ContentEvent> out) throws Exception {
        inputs.add(input);
        // In batch execution a key's timers fire once all of its input has been seen.
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContentEvent> out) throws Exception {
        List<RetagInput> stored = new ArrayList<>();
        boolean erased = false;
        for (RetagInput input : inputs.get()) {
            if (input.erased()) {
                erased = true;
            } else {
                stored.add(input);
            }
        }
        stored.sort(Comparator.comparingInt(RetagInput::partition).thenComparingLong(RetagInput::offset));
        RetagRequests.Result result = requests.of(stored.stream().map(RetagInput::stored).toList(), erased);
        outcomes.get(result.outcome()).add(1);
        result.request().ifPresent(out::collect);
        inputs.clear();
    }
}
