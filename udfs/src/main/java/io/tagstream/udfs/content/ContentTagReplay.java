package io.tagstream.udfs.content;

import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds one content's tags from its tag events, applied in tag-version order: the state the
 * tagging job holds, what {@code content_tags} and the contents index show, and, replaying only
 * the events that had occurred by then, the tags the content carried at any past moment.
 */
public final class ContentTagReplay {

    /**
     * One tag the content carries.
     *
     * @param latest the event that left the tag as it is
     * @param since when the content last began to carry it (after its latest removal, if any)
     */
    public record CarriedTag(TagEvent latest, Instant since) {
        public TagAssignment assignment() {
            return new TagAssignment(latest.tag(), latest.dimension(), latest.confidence(), latest.source(),
                    latest.model(), latest.promptVersion(), latest.reason());
        }
    }

    private final Map<String, CarriedTag> tags = new TreeMap<>();
    private String tenant;
    private String contentId;
    private long tagVersion;
    private long contentVersion;
    private Instant occurredAt;
    private boolean deleted;

    /** Applies the next event; events of one change set may come in any order. */
    public ContentTagReplay apply(TagEvent event) {
        if (tenant == null) {
            tenant = event.tenant();
            contentId = event.contentId();
        } else if (!tenant.equals(event.tenant()) || !contentId.equals(event.contentId())) {
            throw new IllegalArgumentException("event " + event.eventId() + " belongs to " + event.contentKey()
                    + ", not to " + tenant + "/" + contentId);
        }
        if (event.tagVersion() < tagVersion) {
            throw new IllegalArgumentException("events must be applied in tag version order: v" + event.tagVersion()
                    + " of " + event.contentKey() + " came after v" + tagVersion);
        }
        // A change set is a delete when every one of its events removes a tag because the content went.
        boolean removedByDelete = event.action() == TagAction.REMOVED && ContentTagDiff.CONTENT_DELETED.equals(event.reason());
        deleted = event.tagVersion() > tagVersion ? removedByDelete : deleted && removedByDelete;
        tagVersion = event.tagVersion();
        contentVersion = event.contentVersion();
        occurredAt = event.occurredAt();
        if (event.action() == TagAction.REMOVED || event.action() == TagAction.REJECTED) {
            tags.remove(event.tag());
        } else {
            CarriedTag before = tags.get(event.tag());
            tags.put(event.tag(), new CarriedTag(event, before == null ? event.occurredAt() : before.since()));
        }
        return this;
    }

    public ContentTagReplay applyAll(Iterable<TagEvent> events) {
        events.forEach(this::apply);
        return this;
    }

    /** Whether no event has been applied. */
    public boolean isEmpty() {
        return tenant == null;
    }

    /** The tags carried now, ordered by tag id. */
    public List<CarriedTag> tags() {
        return new ArrayList<>(tags.values());
    }

    /** The tags carried now by tag id, as {@link ContentTagDiff} compares them. */
    public Map<String, TagAssignment> current() {
        Map<String, TagAssignment> current = new LinkedHashMap<>();
        tags.forEach((tag, carried) -> current.put(tag, carried.assignment()));
        return current;
    }

    /** 0 before the first event. */
    public long tagVersion() {
        return tagVersion;
    }

    public long contentVersion() {
        return contentVersion;
    }

    /** When the latest change set occurred; {@code null} before the first event. */
    public Instant occurredAt() {
        return occurredAt;
    }

    /** Whether the latest change set removed the content's tags because the content was deleted. */
    public boolean deleted() {
        return deleted;
    }

    /**
     * The content as its latest change set left it, without the events: what the contents index
     * shows. The log does not record the validator's quality score, so it is -1 (none).
     */
    public TagChangeSet state() {
        if (isEmpty()) {
            throw new IllegalStateException("no tag event has been applied");
        }
        List<TagAssignment> current = new ArrayList<>();
        tags.values().forEach(t -> current.add(t.assignment()));
        return new TagChangeSet(tenant, contentId, contentVersion, tagVersion, deleted, occurredAt, List.of(), current, -1);
    }
}
