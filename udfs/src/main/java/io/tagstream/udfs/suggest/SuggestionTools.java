package io.tagstream.udfs.suggest;

import io.tagstream.schemas.SuggestDirection;
import io.tagstream.schemas.SuggestedTag;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.content.DroppedTag;
import io.tagstream.udfs.content.TagVerdict;
import io.tagstream.udfs.graph.CanonicalTags;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.TagCanonicalizer;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The tools a suggestion session calls, over the project's tagger, knowledge graph and
 * {@link TagCanonicalizer} (which is also the validator and the safety policy). The seed's
 * tools map onto them: understand_intent → {@link #understand}, search_examples + generate_ideas →
 * {@link #explore}, validate_quality → {@link #validate}, finalize_prompt → {@link #finalize}; and
 * {@link #refine} applies a person's "more of this, none of that".
 */
public final class SuggestionTools {
    public static final String UNDERSTAND = "understand";
    public static final String EXPLORE = "explore";
    public static final String VALIDATE = "validate";
    public static final String REFINE = "refine";
    public static final String FINALIZE = "finalize";

    /** An idea is clear enough for directions when it names tags of this many dimensions. */
    public static final int CLEAR_DIMENSIONS = 2;
    static final int DIRECTIONS = 3;
    private static final int QUESTIONS = 3;
    private static final int EXAMPLES_PER_QUESTION = 3;
    /** A clause of a refinement that starts with one of these asks for its tags to go. */
    private static final Pattern NEGATION = Pattern.compile(
            "^(不要|不想要|別|别|去掉|去除|移除|拿掉|沒有|没有|no|not|without|remove|drop|minus|-)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CLAUSES = Pattern.compile("[,，;；、。.!！?？\\n]+|\\s+(?:and|but)\\s+|但是|但|而且");

    private final KnowledgeGraph graph;
    private final Tagger tagger;
    private final TagCanonicalizer validator = new TagCanonicalizer(DirectionExplorer.MAX_PER_DIMENSION);

    public SuggestionTools(KnowledgeGraph graph, Tagger tagger) {
        this.graph = graph;
        this.tagger = tagger;
    }

    public KnowledgeGraph graph() {
        return graph;
    }

    /**
     * What the idea names, as canonical tags the tenant may carry, plus how many named tags it may
     * not carry ({@code refusals}, by reason and never by name).
     */
    public record Understanding(List<TagAssignment> tags, List<String> refusals, Usage usage) {
        /** The dimensions the idea itself names; what its tags imply does not make it any clearer. */
        public Set<String> dimensions() {
            Set<String> dimensions = new LinkedHashSet<>();
            tags.stream().filter(t -> t.source() != TagSource.IMPLIED).forEach(t -> dimensions.add(t.dimension()));
            return dimensions;
        }
    }

    public Understanding understand(String tenant, String sessionId, String idea) {
        MeteredTagger.Metered found = MeteredTagger.call(tagger, new TaggingRequest(tenant, sessionId, idea, null, null));
        CanonicalTags canonical = validator.canonicalize(graph, tenant, found.tags(), Map.of());
        return new Understanding(canonical.kept(), refusals(canonical.dropped()), found.usage());
    }

    /** Questions that would make a vague idea clear: the dimensions it does not name, with examples the tenant may use. */
    public List<String> questions(String tenant, Set<String> named) {
        List<String> questions = new ArrayList<>();
        graph.taxonomy().dimensions().stream()
                .filter(d -> !named.contains(d.id()))
                .limit(QUESTIONS)
                .forEach(d -> {
                    List<String> examples = graph.taxonomy().tags().stream()
                            .filter(t -> t.dimension().equals(d.id()) && graph.allowed(tenant, t.id()))
                            .limit(EXAMPLES_PER_QUESTION)
                            .map(TaxonomyTag::label)
                            .toList();
                    questions.add(d.label() + "? e.g. " + String.join(", ", examples));
                });
        return questions;
    }

    /** Up to three directions, not yet validated. */
    public List<DirectionExplorer.Proposal> explore(String tenant, List<TagAssignment> understood) {
        return new DirectionExplorer(graph, tenant).explore(understood, DIRECTIONS);
    }

    /** Validates each proposal (canonical, consistent, safe, scored) into a direction. */
    public List<SuggestDirection> validate(String tenant, String idea, List<DirectionExplorer.Proposal> proposals) {
        List<SuggestDirection> directions = new ArrayList<>();
        for (DirectionExplorer.Proposal proposal : proposals) {
            directions.add(direction(title(proposal, idea), tenant, proposal.tags(), Set.of()));
        }
        return directions;
    }

    /** A refined direction, and how many of the tags the refinement asked for were refused as unsafe. */
    public record Refinement(List<TagAssignment> tags, Set<String> excluded, List<String> refusals,
            boolean changedAnything, Usage usage) {}

    /**
     * Applies a refinement to a direction: each clause of the text adds the tags it names (as the
     * person's own, so they win conflicts), or, when it starts with a negation ("不要", "no",
     * "without", ...), removes them for good. Tags the tenant may not carry are refused.
     */
    public Refinement refine(String tenant, String sessionId, SuggestDirection direction, Set<String> excluded,
            String text) {
        Map<String, TagAssignment> tags = new LinkedHashMap<>();
        direction.tags().forEach(t -> tags.put(t.tag(), assignment(t)));
        Set<String> stillExcluded = new LinkedHashSet<>(excluded);
        List<String> refusals = new ArrayList<>();
        Usage usage = Usage.NONE;
        boolean changed = false;
        for (String clause : CLAUSES.split(text)) {
            String trimmed = clause.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher negation = NEGATION.matcher(trimmed);
            boolean remove = negation.find();
            String named = remove ? trimmed.substring(negation.end()) : trimmed;
            MeteredTagger.Metered found = MeteredTagger.call(tagger, new TaggingRequest(tenant, sessionId, named, null, null));
            usage = usage.plus(found.usage());
            for (TagAssignment tag : found.tags()) {
                TaxonomyTag canonical = graph.canonical(tag.tag()).orElse(null);
                if (canonical == null) {
                    continue;
                }
                if (remove) {
                    boolean wasThere = tags.remove(canonical.id()) != null;
                    boolean newlyExcluded = stillExcluded.add(canonical.id());
                    changed |= wasThere || newlyExcluded;
                } else if (!graph.allowed(tenant, canonical.id())) {
                    refusals.add(safetyReason(tenant, canonical.id()));
                } else {
                    stillExcluded.remove(canonical.id());
                    TagAssignment before = tags.put(canonical.id(), new TagAssignment(canonical.id(), canonical.dimension(),
                            1.0, TagSource.USER, null, "asked for: \"" + tag.reason().replaceFirst("^matched ", "") + "\""));
                    changed |= before == null || before.source() != TagSource.USER;
                }
            }
        }
        return new Refinement(new ArrayList<>(tags.values()), stillExcluded, refusals, changed, usage);
    }

    /** The validated direction for a list of tags; {@code excluded} tags never come back through implication. */
    public SuggestDirection direction(String title, String tenant, List<TagAssignment> tags, Set<String> excluded) {
        Map<String, TagVerdict> verdicts = new TreeMap<>();
        excluded.forEach(t -> verdicts.put(t, new TagVerdict(false, "the person refining", null)));
        CanonicalTags validated = validator.canonicalize(graph, tenant, tags, verdicts);
        List<SuggestedTag> suggested = new ArrayList<>();
        for (TagAssignment tag : validated.kept()) {
            String label = graph.taxonomy().tag(tag.tag()).map(TaxonomyTag::label).orElse(tag.tag());
            suggested.add(new SuggestedTag(tag.tag(), label, tag.dimension(), tag.confidence(), tag.source(), tag.reason()));
        }
        suggested.sort(Comparator.comparing((SuggestedTag t) -> dimensionOrder(t.dimension())).thenComparing(SuggestedTag::tag));
        return new SuggestDirection(title, suggested, validated.qualityScore(),
                validated.qualityScore() >= CanonicalTags.VALID_SCORE);
    }

    private int dimensionOrder(String dimension) {
        int i = 0;
        for (var d : graph.taxonomy().dimensions()) {
            if (d.id().equals(dimension)) {
                return i;
            }
            i++;
        }
        return i;
    }

    private String title(DirectionExplorer.Proposal proposal, String idea) {
        List<String> named = proposal.tags().stream()
                .filter(t -> t.source() != TagSource.TAXONOMY && t.source() != TagSource.IMPLIED)
                .limit(3)
                .map(t -> graph.taxonomy().tag(t.tag()).map(TaxonomyTag::label).orElse(t.tag()))
                .toList();
        String subject = named.isEmpty() ? Taxonomy.normalize(idea) : String.join(" · ", named);
        return proposal.anchor() == null ? subject : proposal.anchor().label() + ": " + subject;
    }

    private static TagAssignment assignment(SuggestedTag tag) {
        return new TagAssignment(tag.tag(), tag.dimension(), tag.confidence(), tag.source(), null, tag.reason());
    }

    /** Why tags were refused, never naming them (a blocked tag reaches no output by name). */
    private List<String> refusals(List<DroppedTag> dropped) {
        List<String> reasons = new ArrayList<>();
        for (DroppedTag drop : dropped) {
            if (drop.blocked()) {
                reasons.add(drop.reason());
            }
        }
        return reasons;
    }

    private String safetyReason(String tenant, String tag) {
        CanonicalTags probe = validator.canonicalize(graph, tenant, List.of(
                new TagAssignment(tag, graph.taxonomy().tag(tag).map(TaxonomyTag::dimension).orElse(null), 1.0,
                        TagSource.RULE, null, "probe")), Map.of());
        return probe.dropped().stream().filter(DroppedTag::blocked).map(DroppedTag::reason).findFirst()
                .orElse("not allowed for this tenant");
    }
}
