package io.tagstream.udfs.graph;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.content.DroppedTag;
import io.tagstream.udfs.content.TagVerdict;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.TopKPerDimension;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one step every proposed tag set passes through, in this order: normalise names to canonical
 * tags (aliases, merges) → apply the users' standing verdicts → add implied tags → resolve
 * conflicts (the less confident tag goes) → the tenant's safety policy (blocked tags dropped and
 * never substituted, ratings above the tenant's limit dropped, sensitive tags kept and flagged) →
 * score with the validator → keep the top k per dimension. The author's and users' own tags are
 * never cut by top k.
 *
 * <p>Validator penalties, from the seed knowledge base: invalid tags 35 (once), each conflict 25
 * under a strict policy and 10 otherwise, each redundant pair 5, fewer than three dimensions
 * covered 20; the score is clamped to 0–100.
 */
public final class TagCanonicalizer {
    static final int INVALID_PENALTY = 35;
    static final int STRICT_CONFLICT_PENALTY = 25;
    static final int CONFLICT_PENALTY = 10;
    static final int REDUNDANCY_PENALTY = 5;
    static final int POOR_BALANCE_PENALTY = 20;
    static final int MIN_DIMENSIONS = 3;
    public static final String SENSITIVE_FLAG = "sensitive; ";

    private static final Comparator<TagAssignment> STRONGEST_FIRST = Comparator
            .comparing((TagAssignment t) -> t.source() != TagSource.USER)
            .thenComparing(TopKPerDimension.MOST_CONFIDENT_FIRST);

    private final int topK;

    public TagCanonicalizer(int topK) {
        this.topK = topK;
    }

    public CanonicalTags canonicalize(
            KnowledgeGraph graph, String tenant, List<TagAssignment> proposed, Map<String, TagVerdict> verdicts) {
        List<DroppedTag> dropped = new ArrayList<>();
        int invalid = 0;
        int redundant = 0;

        // 1. Names to canonical tags; the same tag proposed twice keeps its strongest proposal.
        Map<String, TagAssignment> tags = new TreeMap<>();
        for (TagAssignment tag : proposed) {
            Optional<TaxonomyTag> canonical = graph.canonical(tag.tag());
            TagAssignment named;
            if (canonical.isPresent()) {
                named = new TagAssignment(canonical.get().id(), canonical.get().dimension(), tag.confidence(),
                        tag.source(), tag.model(), tag.promptVersion(), tag.reason());
            } else if (tag.source() == TagSource.USER) {
                named = tag;
                invalid++;
            } else {
                invalid++;
                dropped.add(drop(tag, "not in the taxonomy"));
                continue;
            }
            TagAssignment before = tags.get(named.tag());
            if (before == null) {
                tags.put(named.tag(), named);
            } else {
                redundant++;
                tags.put(named.tag(), STRONGEST_FIRST.compare(named, before) < 0 ? named : before);
            }
        }

        // 2. Users' verdicts, by the tag they name now (a verdict on a merged tag holds for its
        // target); of two verdicts on the same tag the newer one counts.
        Map<String, TagVerdict> standing = canonicalVerdicts(graph, verdicts);
        for (Map.Entry<String, TagVerdict> verdict : standing.entrySet()) {
            String tag = verdict.getKey();
            if (!verdict.getValue().pinned()) {
                TagAssignment rejected = tags.remove(tag);
                if (rejected != null) {
                    dropped.add(drop(rejected, "rejected by " + verdict.getValue().actor()));
                }
            } else if (!tags.containsKey(tag) || tags.get(tag).source() != TagSource.USER) {
                String dimension = graph.canonical(tag).map(TaxonomyTag::dimension).orElse("user");
                tags.put(tag, new TagAssignment(tag, dimension, 1.0, TagSource.USER, null,
                        "confirmed by " + verdict.getValue().actor()));
            }
        }

        // 3. Implied tags, from tags the tenant may carry only: a blocked tag implies nothing.
        Map<String, TagAssignment> implied = new TreeMap<>();
        for (TagAssignment tag : tags.values()) {
            if (!graph.allowed(tenant, tag.tag())) {
                continue;
            }
            for (String consequence : graph.impliedBy(tag.tag())) {
                if (tags.containsKey(consequence) || rejected(standing, consequence)) {
                    continue;
                }
                TagAssignment candidate = new TagAssignment(consequence,
                        graph.taxonomy().tag(consequence).map(TaxonomyTag::dimension).orElse(null),
                        tag.confidence(), TagSource.IMPLIED, null, "implied by " + tag.tag());
                implied.merge(consequence, candidate, (a, b) -> a.confidence() >= b.confidence() ? a : b);
            }
        }
        tags.putAll(implied);

        // 4. Conflicts: strongest first; a tag conflicting with one already kept goes. A tag the
        // tenant may not carry wins nothing: it is on its way out (step 5). A tag that implied a
        // loser goes too, since the graph says it rules the winner out.
        List<TagAssignment> byStrength = new ArrayList<>(tags.values());
        byStrength.sort(STRONGEST_FIRST);
        List<TagAssignment> consistent = new ArrayList<>();
        int conflicts = 0;
        for (TagAssignment tag : byStrength) {
            Optional<TagAssignment> winner = consistent.stream()
                    .filter(k -> graph.allowed(tenant, k.tag()) && graph.conflict(k.tag(), tag.tag()))
                    .findFirst();
            if (winner.isPresent()) {
                conflicts++;
                dropped.add(drop(tag, "conflicts with " + winner.get().tag() + " (confidence "
                        + winner.get().confidence() + " over " + tag.confidence() + ")"));
                for (TagAssignment implier : new ArrayList<>(consistent)) {
                    if (tag.source() == TagSource.IMPLIED && implier.source() != TagSource.USER
                            && graph.impliedBy(implier.tag()).contains(tag.tag())) {
                        consistent.remove(implier);
                        dropped.add(drop(implier, "implies " + tag.tag() + ", which conflicts with " + winner.get().tag()));
                    }
                }
            } else {
                consistent.add(tag);
            }
        }

        // 5. Safety: blocked and over-rated tags dropped, never substituted; sensitive ones flagged.
        List<TagAssignment> safe = new ArrayList<>();
        for (TagAssignment tag : consistent) {
            if (!graph.allowed(tenant, tag.tag())) {
                dropped.add(new DroppedTag(tag.tag(), tag.confidence(), tag.source().wireName(),
                        safetyReason(graph, tenant, tag.tag()), true));
            } else if (graph.profile(tag.tag()).sensitive() && !tag.reason().startsWith(SENSITIVE_FLAG)) {
                safe.add(tag.withConfidence(tag.confidence(), SENSITIVE_FLAG + tag.reason()));
            } else {
                safe.add(tag);
            }
        }

        // 6. Validator score, before top k cuts anything.
        int score = 100;
        if (invalid > 0) {
            score -= INVALID_PENALTY;
        }
        score -= conflicts * (graph.policy(tenant).strictConflicts() ? STRICT_CONFLICT_PENALTY : CONFLICT_PENALTY);
        score -= redundant * REDUNDANCY_PENALTY;
        Set<String> dimensions = new HashSet<>();
        safe.forEach(t -> dimensions.add(t.dimension()));
        if (dimensions.size() < Math.min(MIN_DIMENSIONS, graph.taxonomy().dimensions().size())) {
            score -= POOR_BALANCE_PENALTY;
        }
        score = Math.max(0, Math.min(100, score));

        // 7. Top k per dimension of what the models proposed; users' tags always stay.
        List<TagAssignment> models = new ArrayList<>();
        List<TagAssignment> kept = new ArrayList<>();
        for (TagAssignment tag : safe) {
            (tag.source() == TagSource.USER ? kept : models).add(tag);
        }
        List<TagAssignment> top = TopKPerDimension.select(models, topK);
        kept.addAll(top);
        for (TagAssignment tag : models) {
            if (!top.contains(tag)) {
                dropped.add(drop(tag, "not in the top " + topK + " of dimension " + tag.dimension()));
            }
        }
        kept.sort(Comparator.comparing(TagAssignment::tag));
        return new CanonicalTags(kept, dropped, score);
    }

    private static Map<String, TagVerdict> canonicalVerdicts(KnowledgeGraph graph, Map<String, TagVerdict> verdicts) {
        Map<String, TagVerdict> standing = new TreeMap<>();
        for (Map.Entry<String, TagVerdict> verdict : new TreeMap<>(verdicts).entrySet()) {
            String tag = graph.canonical(verdict.getKey()).map(TaxonomyTag::id).orElse(verdict.getKey());
            standing.merge(tag, verdict.getValue(), (a, b) -> b.at().isAfter(a.at()) ? b : a);
        }
        return standing;
    }

    private static boolean rejected(Map<String, TagVerdict> verdicts, String tag) {
        TagVerdict verdict = verdicts.get(tag);
        return verdict != null && !verdict.pinned();
    }

    private static String safetyReason(KnowledgeGraph graph, String tenant, String tag) {
        TagProfile profile = graph.profile(tag);
        if (profile.status() == TagStatus.BLOCKED || profile.nsfwLevel() == NsfwLevel.BLOCKED) {
            return "blocked tag";
        }
        if (graph.policy(tenant).blockedTags().contains(tag)) {
            return "blocked by the tenant's policy";
        }
        return "rated " + profile.nsfwLevel().wireName() + ", above the tenant's limit of "
                + graph.policy(tenant).maxNsfw().wireName();
    }

    private static DroppedTag drop(TagAssignment tag, String reason) {
        return new DroppedTag(tag.tag(), tag.confidence(), tag.source().wireName(), reason, false);
    }
}
