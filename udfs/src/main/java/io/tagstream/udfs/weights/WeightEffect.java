package io.tagstream.udfs.weights;

import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.content.ContentTagDiff;

/**
 * What one tag event does to its tag's weight.
 *
 * <ul>
 *   <li>{@code ADDED} and {@code UPDATED} (re-tagging with a new confidence or source) are uses: they
 *       add the confidence, scaled by feedback. From a user they are also positive feedback.
 *   <li>{@code CONFIRMED} is positive, {@code REJECTED} negative feedback; neither is a use.
 *   <li>{@code REMOVED} by a user is negative feedback. Any other {@code REMOVED} (a model no longer
 *       proposes the tag, or the content was deleted) changes nothing: a removal lowers nothing
 *       retroactively, the tag simply stops contributing from that content.
 * </ul>
 */
public enum WeightEffect {
    USE(true, 0),
    USE_AND_POSITIVE_FEEDBACK(true, 1),
    POSITIVE_FEEDBACK(false, 1),
    NEGATIVE_FEEDBACK(false, -1),
    NONE(false, 0);

    private final boolean use;
    private final int feedback;

    WeightEffect(boolean use, int feedback) {
        this.use = use;
        this.feedback = feedback;
    }

    public boolean isUse() {
        return use;
    }

    /** +1, -1 or 0. */
    public int feedback() {
        return feedback;
    }

    public static WeightEffect of(TagEvent event) {
        boolean byUser = event.source() == TagSource.USER;
        TagAction action = event.action();
        if (action == null) {
            return NONE;
        }
        return switch (action) {
            case ADDED, UPDATED -> byUser ? USE_AND_POSITIVE_FEEDBACK : USE;
            case CONFIRMED -> POSITIVE_FEEDBACK;
            case REJECTED -> NEGATIVE_FEEDBACK;
            case REMOVED -> byUser && !ContentTagDiff.CONTENT_DELETED.equals(event.reason()) ? NEGATIVE_FEEDBACK : NONE;
        };
    }
}
