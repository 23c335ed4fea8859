package io.tagstream.udfs.flink;

import io.tagstream.udfs.weights.TagWeight;

/**
 * What {@link TagWeightFunction} keeps per tag: the weight and the timers it has registered
 * ({@link #NO_TIMER} for none), so that a timer that is no longer wanted is recognised when it fires.
 */
public record TagWeightState(TagWeight weight, long emitTimer, long pruneTimer) {
    public static final long NO_TIMER = Long.MIN_VALUE;

    TagWeightState withWeight(TagWeight next) {
        return new TagWeightState(next, emitTimer, pruneTimer);
    }

    TagWeightState withEmitTimer(long timer) {
        return new TagWeightState(weight, timer, pruneTimer);
    }

    TagWeightState withPruneTimer(long timer) {
        return new TagWeightState(weight, emitTimer, timer);
    }
}
