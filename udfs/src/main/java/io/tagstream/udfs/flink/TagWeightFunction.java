package io.tagstream.udfs.flink;

import static io.tagstream.udfs.flink.TagWeightState.NO_TIMER;

import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagKey;
import io.tagstream.schemas.TagStat;
import io.tagstream.udfs.weights.TagWeight;
import io.tagstream.udfs.weights.TagWeighting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by {@link TagKey tenant/tag}: keeps each tag's {@link TagWeight} and reports it as a
 * {@link TagStat}, coalesced.
 *
 * <ul>
 *   <li>Values: {@link TagWeighting} alone decides them, from event times.
 *   <li>Emission: the first change after a report starts a processing-time timer; when it fires the
 *       tag's current stat goes out. So a tag is reported at most once per {@code emitIntervalMs}
 *       however often it changes; processing time decides only when, never what.
 *   <li>Pruning: an event-time timer at the time the weight decays below the floor, plus
 *       {@code pruneDelayMs}, clears the tag from state (reporting it first if a report is due).
 *       Moving the timer on every change would cost a delete per event; instead a timer that fires
 *       too early is set again for the new time. The final watermark of an ended input (or of a
 *       stop with {@code --drain}) only reports what is due: the weights stay for a restart.
 * </ul>
 */
public class TagWeightFunction extends KeyedProcessFunction<String, TagEvent, TagStat> {
    private static final long serialVersionUID = 1L;

    private final TagWeighting weighting;
    private final long emitIntervalMs;
    private final long pruneDelayMs;

    private transient ValueState<TagWeightState> state;

    public TagWeightFunction(TagWeighting weighting, long emitIntervalMs, long pruneDelayMs) {
        if (emitIntervalMs <= 0 || pruneDelayMs < 0) {
            throw new IllegalArgumentException("the emit interval must be positive and the prune delay not negative, were "
                    + emitIntervalMs + " and " + pruneDelayMs + " ms");
        }
        this.weighting = weighting;
        this.emitIntervalMs = emitIntervalMs;
        this.pruneDelayMs = pruneDelayMs;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("tag-weight", TypeInformation.of(TagWeightState.class)));
    }

    @Override
    public void processElement(TagEvent event, Context ctx, Collector<TagStat> out) throws Exception {
        TagWeightState current = state.value();
        TagWeight next = weighting.apply(current == null ? null : current.weight(), event);
        if (next == null) {
            return;
        }
        TagWeightState updated = current == null
                ? new TagWeightState(next, NO_TIMER, NO_TIMER)
                : current.withWeight(next);
        if (updated.emitTimer() == NO_TIMER) {
            long at = ctx.timerService().currentProcessingTime() + emitIntervalMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            updated = updated.withEmitTimer(at);
        }
        if (updated.pruneTimer() == NO_TIMER) {
            updated = updated.withPruneTimer(schedulePrune(event.tenant(), next, ctx.timerService()));
        }
        state.update(updated);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TagStat> out) throws Exception {
        TagWeightState current = state.value();
        if (current == null) {
            return;
        }
        String key = ctx.getCurrentKey();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (timestamp == current.emitTimer()) {
                report(key, current.weight(), out);
                state.update(current.withEmitTimer(NO_TIMER));
            }
        } else if (timestamp == current.pruneTimer()) {
            String tenant = TagKey.tenant(key);
            long watermark = ctx.timerService().currentWatermark();
            if (watermark == Long.MAX_VALUE) {
                // The input ended (or the job stops with --drain): report what is due, but keep the
                // weights for a restart from the savepoint instead of pruning every tag.
                reportIfDue(key, current, ctx, out);
                state.update(current.withEmitTimer(NO_TIMER).withPruneTimer(NO_TIMER));
            } else if (watermark >= pruneAt(tenant, current.weight())) {
                reportIfDue(key, current, ctx, out);
                state.clear();
            } else {
                state.update(current.withPruneTimer(schedulePrune(tenant, current.weight(), ctx.timerService())));
            }
        }
    }

    private void reportIfDue(String key, TagWeightState current, OnTimerContext ctx, Collector<TagStat> out) {
        if (current.emitTimer() != NO_TIMER) {
            report(key, current.weight(), out);
            ctx.timerService().deleteProcessingTimeTimer(current.emitTimer());
        }
    }

    private void report(String key, TagWeight weight, Collector<TagStat> out) {
        if (weight.hasUses()) {
            out.collect(weighting.stat(TagKey.tenant(key), TagKey.tag(key), weight));
        }
    }

    private long schedulePrune(String tenant, TagWeight weight, TimerService timers) {
        long at = pruneAt(tenant, weight);
        if (at == Long.MAX_VALUE) {
            return NO_TIMER;
        }
        timers.registerEventTimeTimer(at);
        return at;
    }

    private long pruneAt(String tenant, TagWeight weight) {
        long fades = weighting.fadesAt(tenant, weight);
        return fades > Long.MAX_VALUE - pruneDelayMs ? Long.MAX_VALUE : fades + pruneDelayMs;
    }
}
