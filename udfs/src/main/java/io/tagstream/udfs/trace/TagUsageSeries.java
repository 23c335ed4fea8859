package io.tagstream.udfs.trace;

import io.tagstream.schemas.TagAction;
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
 * tag's confidence on that content, and it halves every {@code halfLife} in event time:
 * {@code w ← w·exp(−λ·Δt) + c}, {@code λ = ln 2 / halfLife}. Feedback scaling is not applied
 * here; the weights job's stored weight is the authority for that.
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
        double lambda = Math.log(2) / (halfLife.toNanos() / 1e9);
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
                        weight = decayed(weight, weighedAt, use.occurredAt(), lambda) + use.confidence();
                        weighedAt = use.occurredAt();
                        added += today ? 1 : 0;
                    }
                    case REMOVED, REJECTED -> removed += today ? 1 : 0;
                    default -> updated += today ? 1 : 0;
                }
            }
            days.add(new Day(day, added, removed, updated, carrying, decayed(weight, weighedAt, end, lambda)));
        }
        return days;
    }

    private static double decayed(double weight, Instant since, Instant at, double lambda) {
        if (since == null) {
            return 0;
        }
        double seconds = Duration.between(since, at).toNanos() / 1e9;
        return weight * Math.exp(-lambda * seconds);
    }
}
