package io.tagstream.sinks.trending;

import io.tagstream.schemas.TagStat;
import io.tagstream.udfs.weights.TagDecay;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/**
 * One tag of a trending answer, its stored stat decayed to the time asked about.
 *
 * @param weight the weight decayed to that time: {@code w·2^(−(at − updated_at)/h)}
 * @param risingPerDay {@code ln 2 · day · (trend_weight/h_trend − weight/h)}, both decayed to that
 *     time: the recent rate of use (weighted uses per day over roughly the last trend half-life)
 *     minus the long-run rate (over roughly the last half-life). Positive: rising; 0: steady;
 *     negative: fading
 */
public record TrendingTag(
        String tenant,
        String tag,
        String dimension,
        double weight,
        double risingPerDay,
        long usageCount,
        double feedbackScore,
        Instant lastUsed,
        Instant updatedAt) {

    /** Rising more slowly than a millionth of a weighted use per day is not rising. */
    public static final double MIN_RISING_PER_DAY = 1e-6;
    /** Fastest rising first; ties by tag. */
    public static final Comparator<TrendingTag> FASTEST_RISING_FIRST =
            Comparator.comparingDouble(TrendingTag::risingPerDay).reversed().thenComparing(TrendingTag::tag);

    private static final double LN_2_DAYS = StrictMath.log(2.0) * Duration.ofDays(1).toMillis();

    /**
     * The stat as of {@code at}. A time before the stat's {@code updated_at} reads the stat as
     * stored: the stores keep only each tag's latest state (its history is in {@code tag_events}).
     */
    public static TrendingTag of(TagStat stat, Instant at) {
        double weight = new TagDecay(stat.halfLifeMs()).decay(stat.weight(), age(stat, at));
        double rising = risingBound(stat, at) - LN_2_DAYS * weight / stat.halfLifeMs();
        return new TrendingTag(stat.tenant(), stat.tag(), stat.dimension(), weight, rising, stat.usageCount(),
                stat.feedbackScore(), stat.lastUsed(), stat.updatedAt());
    }

    /**
     * {@code ln 2 · day · trend_weight/h_trend} at {@code at}: the rising rate the tag would have if
     * it had no long-run weight, so never less than {@link #risingPerDay()}. It falls as the trend
     * weight does, which lets a search in trend weight order stop early.
     */
    public static double risingBound(TagStat stat, Instant at) {
        double trend = new TagDecay(stat.trendHalfLifeMs()).decay(stat.trendWeight(), age(stat, at));
        return LN_2_DAYS * trend / stat.trendHalfLifeMs();
    }

    private static long age(TagStat stat, Instant at) {
        return at.toEpochMilli() - stat.updatedAt().toEpochMilli();
    }
}
