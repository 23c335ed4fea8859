package io.tagstream.udfs.weights;

import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagStat;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules of tag weights (see {@code docs/weights.md}): per (tenant, tag), in event time and
 * decayed lazily, {@code w ← w·2^(−Δt/h) + c} on each use, {@code c = confidence·(1 + feedback)}.
 *
 * <ul>
 *   <li>Events that share a timestamp may come in any order: their confidences are summed as exact
 *       integers and scaled by the feedback score once all of them are known (see {@link TagWeight}).
 *   <li>An event older than the tag's latest timestamp (late) is applied at that timestamp with its
 *       confidence decayed by its lateness, {@code c·2^(−lateness/h)}: the weight it would have had
 *       in order, to within rounding. Its feedback counts from then on.
 *   <li>When the weight carried to a new timestamp has decayed below the floor, the tag starts
 *       afresh (weight, usage and feedback 0). Pruning a faded tag from state therefore changes no
 *       value: the next event would have reset it anyway.
 *   <li>Nothing here reads a clock; the same events give the same bits.
 * </ul>
 */
public final class TagWeighting implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Confidences are summed in billionths: exact, and 0.6 reads back as 0.6. */
    public static final long CONFIDENCE_UNITS = 1_000_000_000L;
    /** How many events of one timestamp {@link #version} tells apart. */
    private static final int EVENT_BITS = 20;
    private static final double LN_2 = StrictMath.log(2.0);

    private final TagDecay defaultDecay;
    private final Map<String, TagDecay> tenantDecays;
    private final TagDecay trendDecay;
    private final double floor;

    /**
     * @param halfLifeMs the default half-life of the weights
     * @param tenantHalfLifeMs half-lives of the tenants that do not use the default
     * @param trendHalfLifeMs the half-life of the trend weight; shorter than every other half-life
     * @param floor a weight decayed below it is 0 and its tag leaves the state; 0 keeps every tag
     */
    public TagWeighting(long halfLifeMs, Map<String, Long> tenantHalfLifeMs, long trendHalfLifeMs, double floor) {
        this.defaultDecay = new TagDecay(halfLifeMs);
        this.tenantDecays = new TreeMap<>();
        tenantHalfLifeMs.forEach((tenant, ms) -> tenantDecays.put(tenant, new TagDecay(ms)));
        this.trendDecay = new TagDecay(trendHalfLifeMs);
        if (!(floor >= 0)) {
            throw new IllegalArgumentException("the weight floor must be 0 or more, was " + floor);
        }
        this.floor = floor;
        long shortest = tenantDecays.values().stream().mapToLong(TagDecay::halfLifeMs).reduce(halfLifeMs, Math::min);
        if (trendHalfLifeMs >= shortest) {
            throw new IllegalArgumentException("the trend half-life (" + trendHalfLifeMs
                    + " ms) must be shorter than every weight half-life (the shortest is " + shortest + " ms)");
        }
    }

    public TagDecay decay(String tenant) {
        return tenantDecays.getOrDefault(tenant, defaultDecay);
    }

    public TagDecay trendDecay() {
        return trendDecay;
    }

    /**
     * The tag's weight after {@code event}.
     *
     * @param current the tag's weight before, {@code null} if it has none
     * @return the next weight; {@code current} itself for an event without event time, which has no
     *     place in time to count at (the pipeline always sets it)
     */
    public TagWeight apply(TagWeight current, TagEvent event) {
        if (event.occurredAt() == null) {
            return current;
        }
        long time = event.occurredAt().toEpochMilli();
        TagDecay decay = decay(event.tenant());
        TagWeight at = current == null ? TagWeight.empty(null, time) : advance(current, time, decay);

        WeightEffect effect = WeightEffect.of(event);
        long lateness = at.updatedAt() - time;
        long units = 0;
        long trendUnits = 0;
        if (effect.isUse()) {
            double confidence = confidence(event.confidence());
            units = Math.round(confidence * decay.factor(lateness) * CONFIDENCE_UNITS);
            trendUnits = Math.round(confidence * trendDecay.factor(lateness) * CONFIDENCE_UNITS);
        }

        String dimension = at.dimension();
        boolean dimensionSet = at.dimensionSetAtUpdatedAt();
        if (event.dimension() != null) {
            if (lateness == 0) {
                dimension = dimensionSet && dimension.compareTo(event.dimension()) > 0 ? dimension : event.dimension();
                dimensionSet = true;
            } else if (dimension == null) {
                dimension = event.dimension();
            }
        }
        return new TagWeight(
                dimension,
                dimensionSet,
                at.updatedAt(),
                at.carriedWeight(),
                at.carriedTrend(),
                at.units() + units,
                at.trendUnits() + trendUnits,
                at.usageCount() + (effect.isUse() ? 1 : 0),
                effect.isUse() ? Math.max(at.lastUsed(), time) : at.lastUsed(),
                at.positiveFeedback() + (effect.feedback() > 0 ? 1 : 0),
                at.negativeFeedback() + (effect.feedback() < 0 ? 1 : 0),
                at.eventsAtUpdatedAt() + 1);
    }

    /** Closes the latest timestamp and carries its weight, decayed, to the later {@code time}. */
    private TagWeight advance(TagWeight w, long time, TagDecay decay) {
        if (time <= w.updatedAt()) {
            return w;
        }
        long dt = time - w.updatedAt();
        double weight = decay.decay(w.weight(), dt);
        if (weight < floor) {
            return TagWeight.empty(w.dimension(), time);
        }
        return new TagWeight(w.dimension(), false, time, weight, trendDecay.decay(w.trendWeight(), dt), 0, 0,
                w.usageCount(), w.lastUsed(), w.positiveFeedback(), w.negativeFeedback(), 0);
    }

    /** Confidences outside [0, 1] (none are produced) count as the nearest bound, NaN as 0. */
    private static double confidence(double confidence) {
        return confidence > 0 ? Math.min(confidence, 1.0) : 0.0;
    }

    /**
     * The event time at which the weight has decayed below the floor (at once if it already is;
     * {@link Long#MAX_VALUE} for never).
     */
    public long fadesAt(String tenant, TagWeight w) {
        long fall = decay(tenant).timeToFall(w.weight(), floor);
        return fall > Long.MAX_VALUE - w.updatedAt() ? Long.MAX_VALUE : w.updatedAt() + fall;
    }

    public TagStat stat(String tenant, String tag, TagWeight w) {
        long halfLifeMs = decay(tenant).halfLifeMs();
        double weight = w.weight();
        double trend = w.trendWeight();
        return new TagStat(
                tenant,
                tag,
                w.dimension(),
                weight,
                trend,
                w.usageCount(),
                w.usageGain(),
                w.lastUsed() == Long.MIN_VALUE ? null : Instant.ofEpochMilli(w.lastUsed()),
                w.feedbackScore(),
                List.of(),
                Instant.ofEpochMilli(w.updatedAt()),
                halfLifeMs,
                trendDecay.halfLifeMs(),
                weight > 0 ? decayRank(weight, w.updatedAt(), halfLifeMs) : null,
                trend > 0 ? decayRank(trend, w.updatedAt(), trendDecay.halfLifeMs()) : null,
                version(w));
    }

    /**
     * {@code log2(weight) + updatedAt / h}. For two tags of one half-life, {@code log2} of the weight
     * decayed to any time {@code T} is this minus {@code T / h}: the order by rank is the order by
     * decayed weight at every later time, so an index on it answers "heaviest now" without decaying
     * each row. The same with the trend weight and half-life ranks trend weights.
     */
    public static double decayRank(double weight, long updatedAt, long halfLifeMs) {
        return StrictMath.log(weight) / LN_2 + (double) updatedAt / halfLifeMs;
    }

    /**
     * The event time in the high bits and the events applied at it in the low 20: grows with every
     * event of the tag, so every store can keep the newest stat. Event times before 1970 count as 1970.
     */
    public static long version(TagWeight w) {
        long events = Math.min(w.eventsAtUpdatedAt(), (1L << EVENT_BITS) - 1);
        return (Math.max(0, w.updatedAt()) << EVENT_BITS) | events;
    }
}
