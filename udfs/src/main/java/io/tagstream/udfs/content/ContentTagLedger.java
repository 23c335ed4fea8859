package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.FeedbackAction;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.udfs.graph.CanonicalTags;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.TagCanonicalizer;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps one content's tags: what each input does to a {@link ContentTagState}, and the versioned
 * events that record it. Three inputs change a content's tags:
 *
 * <ul>
 *   <li>a newly tagged version of the content, passed through the knowledge graph;
 *   <li>a user's feedback (ACCEPT, REJECT, ADD, REMOVE), which becomes a standing verdict that
 *       later re-tagging respects;
 *   <li>a taxonomy change that reaches the past (MERGE, RENAME, BLOCK_TAG), applied to the tags
 *       the content already carries without reprocessing its text.
 * </ul>
 */
public final class ContentTagLedger {

    /** A state transition: the new state, the change set to publish (if any), and dropped proposals. */
    public record Step(ContentTagState state, Optional<TagChangeSet> changes, List<TagDrop> drops) {}

    /** Stands for the name of a tag the safety policy dropped. */
    public static final String BLOCKED_PLACEHOLDER = "[blocked]";

    /** Marks the reasons of a re-tag's events. */
    public static final String RETAG_PREFIX = "retag: ";

    private final TagCanonicalizer canonicalizer;

    public ContentTagLedger(TagCanonicalizer canonicalizer) {
        this.canonicalizer = canonicalizer;
    }

    public Step onContent(ContentTagState state, TaggedContent tagged, KnowledgeGraph graph, Instant processedAt) {
        if (state.exists() && tagged.event().version() <= state.contentVersion()) {
            // A version that lost a race (e.g. in asynchronous tagging) never moves a content back.
            return new Step(state, Optional.empty(), List.of());
        }
        return apply(state, tagged, graph, processedAt);
    }

    /**
     * Re-tags the version the content is at, after a model or taxonomy change ({@code RetagJob}):
     * the same path as a new version, with every event's reason marked {@value #RETAG_PREFIX}.
     * A request for another version changes nothing: the content has moved on (and that version
     * was tagged by the current model), or it has not arrived yet (and will be).
     */
    public Step onRetag(ContentTagState state, TaggedContent tagged, KnowledgeGraph graph, Instant processedAt) {
        if (!state.exists() || tagged.event().version() != state.contentVersion()
                || tagged.event().op() == ContentOp.DELETE) {
            return new Step(state, Optional.empty(), List.of());
        }
        Step step = apply(state, tagged, graph, processedAt);
        return new Step(step.state(), step.changes().map(ContentTagLedger::markedAsRetag), step.drops());
    }

    private static TagChangeSet markedAsRetag(TagChangeSet changes) {
        List<TagEvent> events = new ArrayList<>();
        for (TagEvent e : changes.events()) {
            events.add(new TagEvent(e.eventId(), e.tenant(), e.contentId(), e.contentVersion(), e.tagVersion(), e.tag(),
                    e.dimension(), e.action(), e.confidence(), e.previousConfidence(), e.source(), e.model(),
                    e.promptVersion(), e.taxonomyVersion(), RETAG_PREFIX + e.reason(), e.occurredAt(), e.processedAt()));
        }
        return new TagChangeSet(changes.tenant(), changes.contentId(), changes.contentVersion(), changes.tagVersion(),
                changes.deleted(), changes.occurredAt(), events, changes.current(), changes.qualityScore());
    }

    private Step apply(ContentTagState state, TaggedContent tagged, KnowledgeGraph graph, Instant processedAt) {
        ContentEvent event = tagged.event();
        boolean deleted = event.op() == ContentOp.DELETE;
        CanonicalTags canonical = deleted
                ? new CanonicalTags(List.of(), List.of(), -1)
                : canonicalizer.canonicalize(graph, event.tenant(), tagged.tags(), state.verdicts());
        List<TagDrop> drops = new ArrayList<>();
        Map<String, String> reasons = new HashMap<>();
        for (DroppedTag drop : canonical.dropped()) {
            // A blocked tag is recorded as having been dropped, never by its name.
            drops.add(new TagDrop(event.tenant(), event.contentId(), event.version(),
                    drop.blocked() ? BLOCKED_PLACEHOLDER : drop.tag(), drop.confidence(), drop.source(), drop.reason(),
                    graph.version(), event.occurredAt()));
            reasons.putIfAbsent(drop.tag(), drop.reason());
        }
        TagSetTarget target = new TagSetTarget(event.tenant(), event.contentId(), event.version(), event.occurredAt(),
                deleted, canonical.kept(), reasons, null, graph.version(), canonical.qualityScore());
        Optional<TagChangeSet> changes = ContentTagDiff.diff(state.tags(), state.tagVersion(), target, processedAt);
        ContentTagState next = new ContentTagState(
                changes.map(TagChangeSet::tagVersion).orElse(state.tagVersion()),
                event.version(),
                true,
                deleted ? -1 : canonical.qualityScore(),
                changes.map(ContentTagLedger::byTag).orElse(state.tags()),
                state.verdicts());
        return new Step(next, changes, drops);
    }

    /**
     * Applies feedback to a content that exists. ACCEPT confirms (pins) a tag, REJECT takes it off
     * for good, ADD puts a tag on and pins it, REMOVE takes it off for good. Feedback that changes
     * nothing (a repeat) yields no event.
     */
    public Step onFeedback(ContentTagState state, FeedbackEvent feedback, KnowledgeGraph graph, Instant processedAt) {
        String tag = graph.canonical(feedback.tag()).map(TaxonomyTag::id).orElse(feedback.tag().trim());
        String dimension = graph.canonical(feedback.tag()).map(TaxonomyTag::dimension).orElse(ContentTagging.USER_DIMENSION);
        String actor = feedback.actor() == null ? "an unnamed user" : feedback.actor();
        boolean pin = feedback.action() == FeedbackAction.ACCEPT || feedback.action() == FeedbackAction.ADD;
        TagAssignment present = state.tags().get(tag);
        TagVerdict verdict = state.verdicts().get(tag);

        if (pin && !graph.allowed(feedback.tenant(), tag)) {
            TagDrop drop = new TagDrop(feedback.tenant(), feedback.contentId(), state.contentVersion(), BLOCKED_PLACEHOLDER, 1.0,
                    TagSource.USER.wireName(), "not allowed for this tenant: " + feedback.action() + " by " + actor
                    + " refused", graph.version(), feedback.occurredAt());
            return new Step(state, Optional.empty(), List.of(drop));
        }
        Map<String, TagAssignment> tags = new HashMap<>(state.tags());
        Map<String, TagVerdict> verdicts = new HashMap<>(state.verdicts());
        verdicts.put(tag, new TagVerdict(pin, actor, feedback.occurredAt()));
        TagAction action;
        TagAssignment after;
        if (pin) {
            if (present != null && present.source() == TagSource.USER && verdict != null && verdict.pinned()) {
                return new Step(state, Optional.empty(), List.of());
            }
            action = present == null ? TagAction.ADDED : TagAction.CONFIRMED;
            after = new TagAssignment(tag, dimension, 1.0, TagSource.USER, null,
                    (present == null ? "added by " : "confirmed by ") + actor);
            tags.put(tag, after);
        } else {
            if (present == null) {
                // Nothing to take off; the verdict still keeps the tag from coming back.
                return new Step(new ContentTagState(state.tagVersion(), state.contentVersion(), true, state.qualityScore(), tags, verdicts),
                        Optional.empty(), List.of());
            }
            action = feedback.action() == FeedbackAction.REJECT ? TagAction.REJECTED : TagAction.REMOVED;
            after = new TagAssignment(tag, present.dimension(), 0.0, TagSource.USER, null,
                    (action == TagAction.REJECTED ? "rejected by " : "removed by ") + actor);
            tags.remove(tag);
        }
        long version = state.tagVersion() + 1;
        TagSetTarget target = new TagSetTarget(feedback.tenant(), feedback.contentId(), state.contentVersion(),
                feedback.occurredAt(), false, new ArrayList<>(tags.values()), Map.of(), TagSource.USER,
                graph.version(), state.qualityScore());
        TagEvent event = ContentTagDiff.event(target, version, action, after,
                present == null ? null : present.confidence(), after.reason(), processedAt);
        TagChangeSet changes = new TagChangeSet(feedback.tenant(), feedback.contentId(), state.contentVersion(),
                version, false, feedback.occurredAt(), List.of(event), new ArrayList<>(tags.values()), state.qualityScore());
        return new Step(new ContentTagState(version, state.contentVersion(), true, state.qualityScore(), tags, verdicts),
                Optional.of(changes), List.of());
    }

    /**
     * Applies a taxonomy change to a content's existing tags: a merged or renamed tag is replaced
     * by its target (keeping its confidence), a blocked tag is removed; both with source
     * {@code taxonomy}. Contents without the tag are untouched.
     */
    public Step onTaxonomyChange(ContentTagState state, String tenant, String contentId, TaxonomyCommand command,
            KnowledgeGraph graphAfter, Instant processedAt) {
        TagAssignment affected = state.tags().get(command.tag());
        if (affected == null) {
            return new Step(state, Optional.empty(), List.of());
        }
        Map<String, TagAssignment> tags = new HashMap<>(state.tags());
        tags.remove(command.tag());
        String reason;
        switch (command.command()) {
            case MERGE, RENAME -> {
                TaxonomyTag target = graphAfter.canonical(command.tag()).orElseThrow();
                String verb = command.command() == io.tagstream.schemas.TaxonomyCommandType.MERGE ? "merged" : "renamed";
                reason = verb + " '" + command.tag() + "' into '" + target.id() + "'";
                TagAssignment existing = tags.get(target.id());
                if (existing == null || existing.confidence() < affected.confidence()) {
                    tags.put(target.id(), new TagAssignment(target.id(), target.dimension(), affected.confidence(),
                            TagSource.TAXONOMY, null, reason));
                }
            }
            case BLOCK_TAG -> reason = "tag '" + command.tag() + "' blocked";
            default -> throw new IllegalArgumentException(command.command() + " does not rewrite existing tags");
        }
        TagSetTarget target = new TagSetTarget(tenant, contentId, state.contentVersion(), command.issuedAt(), false,
                new ArrayList<>(tags.values()), Map.of(command.tag(), reason), TagSource.TAXONOMY,
                graphAfter.version(), state.qualityScore());
        Optional<TagChangeSet> changes = ContentTagDiff.diff(state.tags(), state.tagVersion(), target, processedAt);
        ContentTagState next = new ContentTagState(changes.map(TagChangeSet::tagVersion).orElse(state.tagVersion()),
                state.contentVersion(), state.exists(), state.qualityScore(),
                changes.map(ContentTagLedger::byTag).orElse(state.tags()),
                state.verdicts());
        return new Step(next, changes, List.of());
    }

    private static Map<String, TagAssignment> byTag(TagChangeSet changes) {
        Map<String, TagAssignment> tags = new HashMap<>();
        changes.current().forEach(t -> tags.put(t.tag(), t));
        return tags;
    }
}
