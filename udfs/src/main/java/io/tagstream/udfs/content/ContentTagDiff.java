package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares a content's current tags with the tag set a new content event calls for and turns the
 * difference into the next tag version's events: {@code ADDED}, {@code REMOVED}, and
 * {@code UPDATED} when confidence or source changed. No difference, no new version.
 */
public final class ContentTagDiff {
    /**
     * Confidences are compared in whole units of 1e-4, and a change of 10 units (0.001) or more
     * counts: exact in integers, where comparing doubles against 0.001 is not.
     */
    private static final long UNITS = 10_000;
    private static final long MIN_CHANGE_UNITS = 10;

    private ContentTagDiff() {}

    /**
     * @param current the content's tags now, by tag id (empty for a new content)
     * @param tagVersion the content's current tag version (0 for a new content)
     * @param processedAt stamped on the events for latency figures only
     */
    public static Optional<TagChangeSet> diff(
            Map<String, TagAssignment> current, long tagVersion, TaggedContent next, Instant processedAt) {
        ContentEvent event = next.event();
        Map<String, TagAssignment> wanted = new TreeMap<>();
        for (TagAssignment tag : next.tags()) {
            wanted.put(tag.tag(), tag);
        }
        TreeSet<String> allTags = new TreeSet<>(current.keySet());
        allTags.addAll(wanted.keySet());

        long version = tagVersion + 1;
        List<TagEvent> events = new ArrayList<>();
        for (String tag : allTags) {
            TagAssignment before = current.get(tag);
            TagAssignment after = wanted.get(tag);
            if (before == null) {
                events.add(event(event, version, TagAction.ADDED, after, null, after.reason(), next, processedAt));
            } else if (after == null) {
                String reason = event.op() == ContentOp.DELETE
                        ? "content deleted"
                        : "no longer proposed for content version " + event.version();
                TagAssignment removed = before.withConfidence(0.0, reason);
                events.add(event(event, version, TagAction.REMOVED, removed, before.confidence(), reason, next, processedAt));
            } else if (changed(before, after)) {
                events.add(event(event, version, TagAction.UPDATED, after, before.confidence(), after.reason(), next, processedAt));
            }
        }
        if (events.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TagChangeSet(
                event.tenant(),
                event.contentId(),
                event.version(),
                version,
                event.op() == ContentOp.DELETE,
                event.occurredAt(),
                events,
                new ArrayList<>(wanted.values())));
    }

    private static boolean changed(TagAssignment before, TagAssignment after) {
        long change = Math.abs(Math.round(before.confidence() * UNITS) - Math.round(after.confidence() * UNITS));
        return change >= MIN_CHANGE_UNITS || before.source() != after.source();
    }

    private static TagEvent event(
            ContentEvent content,
            long tagVersion,
            TagAction action,
            TagAssignment tag,
            Double previousConfidence,
            String reason,
            TaggedContent next,
            Instant processedAt) {
        return new TagEvent(
                TagEventIds.of(content.tenant(), content.contentId(), tagVersion, tag.tag(), action),
                content.tenant(),
                content.contentId(),
                content.version(),
                tagVersion,
                tag.tag(),
                tag.dimension(),
                action,
                tag.confidence(),
                previousConfidence,
                tag.source(),
                tag.model(),
                tag.promptVersion(),
                next.taxonomyVersion(),
                reason,
                content.occurredAt(),
                processedAt);
    }
}
