package io.tagstream.udfs.trace;

import io.tagstream.schemas.TagAction;
import io.tagstream.udfs.weights.TagDecay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tag's life, day by day (UTC), from its tag events: how often it was added, removed and
 * updated, how many contents carried it at the end of the day, and its decayed weight then.
 *
 * <p>The weight follows the design brief: each use (an {@code ADDED} event) raises it by the
 * tag's confidence on that content, and it halves every {@code halfLife} in event time
 * ({@link TagDecay}): {@code w ← w·2^(−Δt/h) + c}. Feedback scaling is not applied here: the
 * weights job's stored weight ({@code tag_stats}) is the authority on the tag's weight now; this
 * series shows how the uses alone built it up and let it fade.
 */
public final class TagUsageSeries {

    /** One event of the tag on one content. */
    public record Use(String contentId, long tagVersion, TagAction action, double confidence, Instant occurredAt) {}

    /** @param contents contents carrying the tag at the end of the day */
    public record Day(LocalDate day, int added, int removed, int updated, long contents, double weight) {}

    private TagUsageSeries() {}

    /**
     * @param uses every event of the tag that occurred before the end of {@code lastDay}, in
     *     order of occurrence (events before {@code firstDay} count towards the state it starts from)
     */
    public static List<Day> days(List<Use> uses, LocalDate firstDay, LocalDate lastDay, Duration halfLife) {
        if (lastDay.isBefore(firstDay)) {
            throw new IllegalArgumentException("the last day " + lastDay + " is before the first day " + firstDay);
        }
        TagDecay decay = new TagDecay(halfLife.toMillis());
        Map<String, Long> latestVersion = new HashMap<>();
        Map<String, Boolean> carried = new HashMap<>();
        long carrying = 0;
        double weight = 0;
        Instant weighedAt = null;
        List<Day> days = new ArrayList<>();
        int next = 0;
        for (LocalDate day = firstDay; !day.isAfter(lastDay); day = day.plusDays(1)) {
            Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            int added = 0;
            int removed = 0;
            int updated = 0;
            for (; next < uses.size() && uses.get(next).occurredAt().isBefore(end); next++) {
                Use use = uses.get(next);
                boolean today = !use.occurredAt().isBefore(start);
                // Within a content, the highest tag version decides, whatever order the times say.
                Long seen = latestVersion.get(use.contentId());
                if (seen == null || use.tagVersion() > seen) {
                    latestVersion.put(use.contentId(), use.tagVersion());
                    boolean carries = use.action() != TagAction.REMOVED && use.action() != TagAction.REJECTED;
                    Boolean before = carried.put(use.contentId(), carries);
                    carrying += (carries ? 1 : 0) - (Boolean.TRUE.equals(before) ? 1 : 0);
                }
                switch (use.action()) {
                    case ADDED -> {
                        weight = decayed(decay, weight, weighedAt, use.occurredAt()) + use.confidence();
                        weighedAt = use.occurredAt();
                        added += today ? 1 : 0;
                    }
                    case REMOVED, REJECTED -> removed += today ? 1 : 0;
                    default -> updated += today ? 1 : 0;
                }
            }
            days.add(new Day(day, added, removed, updated, carrying, decayed(decay, weight, weighedAt, end)));
        }
        return days;
    }

    private static double decayed(TagDecay decay, double weight, Instant since, Instant at) {
        return since == null ? 0 : decay.decay(weight, Duration.between(since, at).toMillis());
    }
}
