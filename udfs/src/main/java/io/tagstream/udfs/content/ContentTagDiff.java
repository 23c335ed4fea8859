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
    /** The reason of the {@code REMOVED} events of a deleted content. */
    public static final String CONTENT_DELETED = "content deleted";
    /**
     * Confidences are compared in whole units of 1e-4, and a change of 10 units (0.001) or more
     * counts: exact in integers, where comparing doubles against 0.001 is not.
     */
    private static final long UNITS = 10_000;
    private static final long MIN_CHANGE_UNITS = 10;

    private ContentTagDiff() {}

    /** The change set a tagged content event calls for, with default explanations for removals. */
    public static Optional<TagChangeSet> diff(
            Map<String, TagAssignment> current, long tagVersion, TaggedContent next, Instant processedAt) {
        ContentEvent event = next.event();
        return diff(current, tagVersion, new TagSetTarget(event.tenant(), event.contentId(), event.version(),
                event.occurredAt(), event.op() == ContentOp.DELETE, next.tags(), Map.of(), null,
                next.taxonomyVersion(), -1), processedAt);
    }

    /**
     * @param current the content's tags now, by tag id (empty for a new content)
     * @param tagVersion the content's current tag version (0 for a new content)
     * @param processedAt stamped on the events for latency figures only
     */
    public static Optional<TagChangeSet> diff(
            Map<String, TagAssignment> current, long tagVersion, TagSetTarget target, Instant processedAt) {
        Map<String, TagAssignment> wanted = new TreeMap<>();
        for (TagAssignment tag : target.tags()) {
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
                events.add(event(target, version, TagAction.ADDED, after, null, after.reason(), processedAt));
            } else if (after == null) {
                String reason = target.removalReasons().getOrDefault(tag, target.deleted()
                        ? CONTENT_DELETED
                        : "no longer proposed for content version " + target.contentVersion());
                TagAssignment removed = new TagAssignment(before.tag(), before.dimension(), 0.0,
                        target.removalSource() != null ? target.removalSource() : before.source(), before.model(),
                        before.promptVersion(), reason);
                events.add(event(target, version, TagAction.REMOVED, removed, before.confidence(), reason, processedAt));
            } else if (changed(before, after)) {
                events.add(event(target, version, TagAction.UPDATED, after, before.confidence(), after.reason(), processedAt));
            }
        }
        if (events.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TagChangeSet(
                target.tenant(),
                target.contentId(),
                target.contentVersion(),
                version,
                target.deleted(),
                target.occurredAt(),
                events,
                new ArrayList<>(wanted.values()),
                target.qualityScore()));
    }

    private static boolean changed(TagAssignment before, TagAssignment after) {
        long change = Math.abs(Math.round(before.confidence() * UNITS) - Math.round(after.confidence() * UNITS));
        return change >= MIN_CHANGE_UNITS || before.source() != after.source();
    }

    static TagEvent event(TagSetTarget target, long tagVersion, TagAction action, TagAssignment tag,
            Double previousConfidence, String reason, Instant processedAt) {
        return new TagEvent(
                TagEventIds.of(target.tenant(), target.contentId(), tagVersion, tag.tag(), action),
                target.tenant(),
                target.contentId(),
                target.contentVersion(),
                tagVersion,
                tag.tag(),
                tag.dimension(),
                action,
                tag.confidence(),
                previousConfidence,
                tag.source(),
                tag.model(),
                tag.promptVersion(),
                target.taxonomyVersion(),
                reason,
                target.occurredAt(),
                processedAt);
    }
}
