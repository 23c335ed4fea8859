package io.tagstream.udfs.suggest;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the tags understood from an idea into a few distinct directions, with the knowledge graph
 * only (deterministic, no model): the idea's tags and what they imply are in every direction; the
 * open dimension most related to them (the idea says nothing of it: often the style) gives each
 * direction its anchor; then each direction grows, one tag at a time, by the allowed tag most
 * related to what it already holds, a relation to the anchor counting twice so that directions
 * differ beyond their anchor (ties: the emptier dimension, then the tag id), never a tag that
 * conflicts with one it holds, never in a dimension the idea itself names (an elf girl stays an elf
 * girl: no third character is suggested), at most {@value #MAX_PER_DIMENSION} per dimension, at most
 * {@value #MAX_TAGS} in all.
 */
public final class DirectionExplorer {
    public static final int MAX_TAGS = 15;
    public static final int MAX_PER_DIMENSION = 3;
    static final double ANCHOR_CONFIDENCE = 0.7;

    private final KnowledgeGraph graph;
    private final String tenant;

    public DirectionExplorer(KnowledgeGraph graph, String tenant) {
        this.graph = graph;
        this.tenant = tenant;
    }

    /** A direction before validation: its anchor (null when the idea left nothing open) and tags. */
    public record Proposal(TaxonomyTag anchor, List<TagAssignment> tags) {}

    public List<Proposal> explore(List<TagAssignment> understood, int maxDirections) {
        Map<String, TagAssignment> base = new LinkedHashMap<>();
        understood.forEach(t -> add(base, t));
        Map<String, Integer> relatedness = candidates(base, null);

        Map<String, Integer> openWeight = new LinkedHashMap<>();
        for (Dimension d : graph.taxonomy().dimensions()) {
            if (base.values().stream().noneMatch(t -> d.id().equals(t.dimension()))) {
                relatedness.forEach((tag, n) -> {
                    if (d.id().equals(dimensionOf(tag))) {
                        openWeight.merge(d.id(), n, Integer::sum);
                    }
                });
            }
        }
        String anchorDimension = openWeight.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue())
                .map(Map.Entry::getKey).orElse(null);
        Set<String> named = new java.util.HashSet<>();
        understood.stream().filter(t -> t.source() != TagSource.IMPLIED).forEach(t -> named.add(t.dimension()));
        if (anchorDimension == null) {
            return List.of(new Proposal(null, grow(base, null, null, named)));
        }
        List<String> anchors = relatedness.entrySet().stream()
                .filter(e -> anchorDimension.equals(dimensionOf(e.getKey())))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                .limit(Math.max(1, maxDirections))
                .map(Map.Entry::getKey)
                .toList();
        List<Proposal> proposals = new ArrayList<>();
        for (String anchor : anchors) {
            Map<String, TagAssignment> direction = new LinkedHashMap<>(base);
            add(direction, new TagAssignment(anchor, anchorDimension, ANCHOR_CONFIDENCE, TagSource.TAXONOMY, null,
                    "related to " + String.join(", ", relatedIn(anchor, base))));
            proposals.add(new Proposal(graph.taxonomy().tag(anchor).orElseThrow(),
                    grow(direction, anchor, anchorDimension, named)));
        }
        return proposals;
    }

    /** Adds the most related tag until none is related or the direction is full. */
    private List<TagAssignment> grow(Map<String, TagAssignment> direction, String anchor, String anchorDimension,
            Set<String> named) {
        while (direction.size() < MAX_TAGS) {
            Map<String, Integer> perDimension = new HashMap<>();
            direction.values().forEach(t -> perDimension.merge(t.dimension(), 1, Integer::sum));
            Map<String, Integer> related = candidates(direction, anchor);
            Comparator<String> mostRelatedFirst = Comparator
                    .comparing((String tag) -> -related.get(tag))
                    .thenComparing(tag -> perDimension.getOrDefault(dimensionOf(tag), 0))
                    .thenComparing(Comparator.naturalOrder());
            String best = related.keySet().stream()
                    .filter(tag -> !named.contains(dimensionOf(tag)))
                    .filter(tag -> perDimension.getOrDefault(dimensionOf(tag), 0)
                            < (dimensionOf(tag).equals(anchorDimension) ? 1 : MAX_PER_DIMENSION))
                    .filter(tag -> direction.size() + 1 + missingImplied(tag, direction) <= MAX_TAGS)
                    .min(mostRelatedFirst)
                    .orElse(null);
            if (best == null) {
                break;
            }
            add(direction, new TagAssignment(best, dimensionOf(best), Math.min(0.75, 0.4 + 0.1 * related.get(best)),
                    TagSource.TAXONOMY, null, "related to " + String.join(", ", relatedIn(best, direction))));
        }
        return new ArrayList<>(direction.values());
    }

    /** Adds a tag and, where allowed and consistent, what it implies. */
    private void add(Map<String, TagAssignment> direction, TagAssignment tag) {
        direction.putIfAbsent(tag.tag(), tag);
        for (String implied : graph.impliedBy(tag.tag())) {
            if (!direction.containsKey(implied) && graph.allowed(tenant, implied) && !conflicts(implied, direction.keySet())) {
                direction.put(implied, new TagAssignment(implied, dimensionOf(implied), tag.confidence(),
                        TagSource.IMPLIED, null, "implied by " + tag.tag()));
            }
        }
    }

    private long missingImplied(String tag, Map<String, TagAssignment> direction) {
        return graph.impliedBy(tag).stream().filter(t -> !direction.containsKey(t)).count();
    }

    /**
     * Allowed tags outside the direction, consistent with it, and how many of its tags they relate
     * to (the anchor counting twice).
     */
    private Map<String, Integer> candidates(Map<String, TagAssignment> direction, String anchor) {
        Map<String, Integer> related = new LinkedHashMap<>();
        for (String tag : direction.keySet()) {
            for (String other : graph.relatedTo(tag)) {
                if (!direction.containsKey(other) && graph.allowed(tenant, other)
                        && !conflicts(other, direction.keySet())) {
                    related.merge(other, tag.equals(anchor) ? 2 : 1, Integer::sum);
                }
            }
        }
        return related;
    }

    private boolean conflicts(String tag, Set<String> with) {
        return with.stream().anyMatch(t -> graph.conflict(t, tag));
    }

    private List<String> relatedIn(String tag, Map<String, TagAssignment> direction) {
        return graph.relatedTo(tag).stream().filter(direction::containsKey).sorted(Comparator.naturalOrder()).toList();
    }

    private String dimensionOf(String tag) {
        return graph.taxonomy().tag(tag).map(TaxonomyTag::dimension).orElse("");
    }
}
