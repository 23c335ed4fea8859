package io.tagstream.udfs.weights;

/**
 * The weight state of one tag in one tenant, as of the event time {@code updatedAt}. Immutable;
 * {@link TagWeighting#apply} returns the next one.
 *
 * <p>The contributions of the latest timestamp are kept apart, as exact integers, from the weight
 * carried over from earlier timestamps. So events that share a timestamp can arrive in any order:
 * integer addition does not care, and the feedback factor is applied to their sum once, when a
 * later timestamp (or a reader) closes the group.
 *
 * @param dimension the tag's dimension, from the latest event that names one
 * @param dimensionSetAtUpdatedAt whether an event at {@code updatedAt} named the dimension (so that
 *     several at the same time settle on the greatest name, whatever their order)
 * @param updatedAt event time (epoch ms) of the latest timestamp applied
 * @param carriedWeight the weight of all earlier timestamps, decayed to {@code updatedAt}
 * @param carriedTrend the same with the trend half-life
 * @param units the confidences used at {@code updatedAt} (late uses decayed to it), in
 *     {@link TagWeighting#CONFIDENCE_UNITS}ths, feedback not yet applied
 * @param trendUnits the same for the trend weight
 * @param usageCount uses since the weight last rose from below the floor
 * @param lastUsed event time of the latest use; {@link Long#MIN_VALUE} if none
 * @param positiveFeedback confirmations and user additions
 * @param negativeFeedback rejections and user removals
 * @param eventsAtUpdatedAt events applied at {@code updatedAt}, late ones included: orders the
 *     stats of one timestamp
 */
public record TagWeight(
        String dimension,
        boolean dimensionSetAtUpdatedAt,
        long updatedAt,
        double carriedWeight,
        double carriedTrend,
        long units,
        long trendUnits,
        long usageCount,
        long lastUsed,
        long positiveFeedback,
        long negativeFeedback,
        long eventsAtUpdatedAt) {

    /** A tag nobody has used yet, at {@code time}. */
    public static TagWeight empty(String dimension, long time) {
        return new TagWeight(dimension, false, time, 0.0, 0.0, 0, 0, 0, Long.MIN_VALUE, 0, 0, 0);
    }

    /**
     * {@code (positive − negative) / (positive + negative + 2)}: 0 without feedback, ±1/3 after one
     * vote, towards ±1 (never reaching it) as votes agree. It depends on the counts alone, not on
     * their order, and keeps {@code 1 + score} in (0, 2): feedback scales a use's contribution
     * between almost nothing and almost double.
     */
    public double feedbackScore() {
        return (double) (positiveFeedback - negativeFeedback) / (positiveFeedback + negativeFeedback + 2);
    }

    /** The decayed weight as of {@code updatedAt}. */
    public double weight() {
        return carriedWeight + (1 + feedbackScore()) * ((double) units / TagWeighting.CONFIDENCE_UNITS);
    }

    /** The trend weight as of {@code updatedAt}. */
    public double trendWeight() {
        return carriedTrend + (1 + feedbackScore()) * ((double) trendUnits / TagWeighting.CONFIDENCE_UNITS);
    }

    /**
     * Whether the tag has been used since its weight last rose from below the floor. Only then is
     * it reported: feedback or removals alone on a faded tag would only overwrite its last stats
     * with zeros.
     */
    public boolean hasUses() {
        return usageCount > 0;
    }

    /** {@code log(1 + n)}: the usage gain of the seed's formula, reported beside the weight. */
    public double usageGain() {
        return StrictMath.log1p(usageCount);
    }
}
