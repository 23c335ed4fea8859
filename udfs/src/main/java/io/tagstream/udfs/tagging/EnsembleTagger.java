package io.tagstream.udfs.tagging;

import io.tagstream.udfs.tagging.llm.LlmListener;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges the proposals of several sources (embedding, LLM, keywords, rules) into one set. A tag
 * proposed by one source keeps that source's assignment. A tag several sources agree on keeps
 * the most confident source's assignment (its source, model and prompt version), with the
 * agreement counted as independent evidence, {@code 1 - Π(1 - c)}, and every source's
 * confidence and reason kept in the reason. Merged tags below {@code minConfidence} are dropped:
 * a model may propose a weak candidate that only stands with another source's agreement.
 *
 * <p>Each source has a {@link Role}. <em>Heuristic</em> proposals (label and alias matches) stand
 * on their own only in an ensemble without a model; next to a model they only add evidence to
 * the tags a model proposes. Measured on held-apart data (docs/quality.md), a label match the
 * model does not find plausible is rarely right (at most 11 % on the debtags items), with or
 * without examples.
 */
public final class EnsembleTagger implements Tagger {

    /** What a source's proposals count for. */
    public enum Role {
        /** A model's proposals (embeddings, a language model): the tags heuristic matches may support. */
        MODEL,
        /** Proposals a person wrote down (the taxonomy's rules): they stand on their own. */
        AUTHORED,
        /** Label and alias matches: on their own only where no model is in the ensemble. */
        HEURISTIC
    }

    /** One source of an ensemble. */
    public record Source(Tagger tagger, Role role) {}

    /** A source before it is built where the ensemble runs. */
    public record SourceFactory(TaggerFactory factory, Role role) implements java.io.Serializable {}

    private final List<Source> sources;
    private final double minConfidence;
    private final boolean heuristicsNeedSupport;

    public EnsembleTagger(List<Source> sources, double minConfidence) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one source");
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("minConfidence must be in [0, 1], was " + minConfidence);
        }
        this.sources = List.copyOf(sources);
        this.minConfidence = minConfidence;
        this.heuristicsNeedSupport = sources.stream().anyMatch(s -> s.role() == Role.MODEL);
    }

    public static SourceFactory model(TaggerFactory factory) {
        return new SourceFactory(factory, Role.MODEL);
    }

    public static SourceFactory authored(TaggerFactory factory) {
        return new SourceFactory(factory, Role.AUTHORED);
    }

    public static SourceFactory heuristic(TaggerFactory factory) {
        return new SourceFactory(factory, Role.HEURISTIC);
    }

    public static TaggerFactory factory(List<SourceFactory> sources, double minConfidence) {
        return new Factory(List.copyOf(sources), minConfidence);
    }

    /** Builds every source, passing the LLM listener on to each. */
    private record Factory(List<SourceFactory> sources, double minConfidence) implements TaggerFactory {
        @Override
        public Tagger create(Taxonomy taxonomy) {
            return create(taxonomy, LlmListener.NONE);
        }

        @Override
        public Tagger create(Taxonomy taxonomy, LlmListener llm) {
            List<Source> built = new ArrayList<>();
            for (SourceFactory source : sources) {
                built.add(new Source(source.factory().create(taxonomy, llm), source.role()));
            }
            return new EnsembleTagger(built, minConfidence);
        }
    }

    @Override
    public List<TagAssignment> tag(TaggingRequest request) {
        return tagAll(List.of(request)).get(0);
    }

    @Override
    public List<List<TagAssignment>> tagAll(List<TaggingRequest> requests) {
        List<List<List<TagAssignment>>> bySource = new ArrayList<>();
        for (Source source : sources) {
            bySource.add(source.tagger().tagAll(requests));
        }
        List<List<TagAssignment>> merged = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            Set<String> proposedByModels = new HashSet<>();
            for (int s = 0; s < sources.size(); s++) {
                if (sources.get(s).role() == Role.MODEL) {
                    bySource.get(s).get(i).forEach(t -> proposedByModels.add(t.tag()));
                }
            }
            List<TagAssignment> proposals = new ArrayList<>();
            for (int s = 0; s < sources.size(); s++) {
                boolean needsSupport = heuristicsNeedSupport && sources.get(s).role() == Role.HEURISTIC;
                for (TagAssignment proposal : bySource.get(s).get(i)) {
                    if (!needsSupport || proposedByModels.contains(proposal.tag())) {
                        proposals.add(proposal);
                    }
                }
            }
            List<TagAssignment> kept = new ArrayList<>();
            for (TagAssignment tag : merge(proposals)) {
                if (tag.confidence() >= minConfidence) {
                    kept.add(tag);
                }
            }
            merged.add(kept);
        }
        return merged;
    }

    static List<TagAssignment> merge(List<TagAssignment> proposals) {
        Map<String, List<TagAssignment>> byTag = new LinkedHashMap<>();
        for (TagAssignment proposal : proposals) {
            byTag.computeIfAbsent(proposal.tag(), t -> new ArrayList<>()).add(proposal);
        }
        List<TagAssignment> merged = new ArrayList<>();
        for (List<TagAssignment> agreeing : byTag.values()) {
            if (agreeing.size() == 1) {
                merged.add(agreeing.get(0));
                continue;
            }
            agreeing.sort(TopKPerDimension.MOST_CONFIDENT_FIRST);
            double missed = 1;
            List<String> reasons = new ArrayList<>();
            for (TagAssignment a : agreeing) {
                missed *= 1 - a.confidence();
                reasons.add(String.format(Locale.ROOT, "%s %.2f: %s", a.source().wireName(), a.confidence(), a.reason()));
            }
            double confidence = Math.round((1 - missed) * 10_000) / 10_000.0;
            merged.add(agreeing.get(0).withConfidence(confidence, String.join(" | ", reasons)));
        }
        return merged;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (Source source : sources) {
            try {
                source.tagger().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
