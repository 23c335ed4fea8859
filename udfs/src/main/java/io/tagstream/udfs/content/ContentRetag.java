package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-tags one stored content after a model or taxonomy change, and says only what changed.
 *
 * <p>The content is the one the tagging job accepted last: its stored events go through the same
 * {@link VersionGate}, in the order {@code content.events} holds them. Its tags are what the log
 * says ({@link ContentTagReplay}). The new tags come from {@link ContentTagging} with the new
 * model and taxonomy, the difference from {@link ContentTagDiff}, as the next tag version:
 * events whose reason starts with {@value #REASON_PREFIX}, that occur at the re-tag's effective
 * time (not the content's, so that "as of" queries before the re-tag still show the old tags).
 */
public final class ContentRetag {
    public static final String REASON_PREFIX = "retag: ";

    public enum Outcome {
        /** The new model or taxonomy changed the content's tags. */
        RETAGGED,
        /** Same tags as before. */
        UNCHANGED,
        /** The log knows the content, but content.events holds none of its events any more. */
        NO_STORED_CONTENT,
        /** Erased: nothing is re-tagged and its state is dropped. */
        ERASED
    }

    /**
     * @param changes the re-tag's change set, when {@link Outcome#RETAGGED}
     * @param state the content's tags and tag version afterwards; {@code null} when erased or never tagged
     */
    public record Result(Outcome outcome, Optional<TagChangeSet> changes, ContentTagSnapshot state) {}

    private final ContentTagging tagging;
    private final VersionGate gate;
    private final Instant effectiveAt;

    public ContentRetag(ContentTagging tagging, VersionGate gate, Instant effectiveAt) {
        this.tagging = tagging;
        this.gate = gate;
        this.effectiveAt = effectiveAt;
    }

    /**
     * @param stored the content's events in the order content.events holds them
     * @param logged its tag events in tag-version order
     * @param processedAt stamped on the events for latency figures only
     */
    public Result retag(String contentKey, List<ContentEvent> stored, List<TagEvent> logged, boolean erased,
            Instant processedAt) {
        if (erased) {
            return new Result(Outcome.ERASED, Optional.empty(), null);
        }
        ContentTagReplay replay = new ContentTagReplay().applyAll(logged);
        ContentTagSnapshot before = replay.isEmpty()
                ? null
                : new ContentTagSnapshot(contentKey, replay.tagVersion(), new ArrayList<>(replay.current().values()));
        ContentEvent latest = null;
        GateState gateState = null;
        for (ContentEvent event : stored) {
            VersionGate.Outcome admitted = gate.admit(gateState, event);
            gateState = admitted.state();
            if (admitted.verdict() == VersionGate.Verdict.ACCEPTED) {
                latest = admitted.event();
            }
        }
        if (latest == null) {
            return new Result(Outcome.NO_STORED_CONTENT, Optional.empty(), before);
        }
        Optional<TagChangeSet> diff = ContentTagDiff.diff(replay.current(), replay.tagVersion(), tagging.tag(latest),
                processedAt);
        if (diff.isEmpty()) {
            return new Result(Outcome.UNCHANGED, Optional.empty(), before);
        }
        TagChangeSet retagged = asRetag(diff.get());
        return new Result(Outcome.RETAGGED, Optional.of(retagged),
                new ContentTagSnapshot(contentKey, retagged.tagVersion(), retagged.current()));
    }

    private TagChangeSet asRetag(TagChangeSet changes) {
        List<TagEvent> events = new ArrayList<>();
        for (TagEvent e : changes.events()) {
            // A delete keeps its reason: the log recognises deletes by it.
            String reason = changes.deleted() ? e.reason() : REASON_PREFIX + e.reason();
            events.add(new TagEvent(e.eventId(), e.tenant(), e.contentId(), e.contentVersion(), e.tagVersion(), e.tag(),
                    e.dimension(), e.action(), e.confidence(), e.previousConfidence(), e.source(), e.model(),
                    e.promptVersion(), e.taxonomyVersion(), reason, effectiveAt, e.processedAt()));
        }
        List<TagAssignment> current = changes.current();
        return new TagChangeSet(changes.tenant(), changes.contentId(), changes.contentVersion(), changes.tagVersion(),
                changes.deleted(), effectiveAt, events, current);
    }
}
