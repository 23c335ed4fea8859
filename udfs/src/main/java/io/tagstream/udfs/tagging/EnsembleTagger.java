package io.tagstream.udfs.tagging;

import io.tagstream.udfs.tagging.llm.LlmListener;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the proposals of several sources (embedding, LLM, keywords, rules) into one set. A tag
 * proposed by one source keeps that source's assignment. A tag several sources agree on keeps
 * the most confident source's assignment (its source, model and prompt version), with the
 * agreement counted as independent evidence, {@code 1 - Π(1 - c)}, and every source's
 * confidence and reason kept in the reason.
 *
 * <p>A <em>heuristic</em> source (keyword matches of labels and aliases) proposes on its own only
 * while no source is calibrated on the tenant's confirmed examples; once one is, heuristic
 * proposals only add evidence to the tags other sources propose. Measured on held-apart data
 * (docs/quality.md), label matches raise zero-shot F1 but lower it next to example votes.
 */
public final class EnsembleTagger implements Tagger {

    /** One source of an ensemble. */
    public record Source(Tagger tagger, boolean heuristic) {}

    /** A source before it is built where the ensemble runs. */
    public record SourceFactory(TaggerFactory factory, boolean heuristic) implements java.io.Serializable {}

    private final List<Source> sources;

    public EnsembleTagger(List<Source> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one source");
        }
        this.sources = List.copyOf(sources);
    }

    public static SourceFactory source(TaggerFactory factory) {
        return new SourceFactory(factory, false);
    }

    public static SourceFactory heuristic(TaggerFactory factory) {
        return new SourceFactory(factory, true);
    }

    public static TaggerFactory factory(List<SourceFactory> sources) {
        return new Factory(List.copyOf(sources));
    }

    /** Builds every source, passing the LLM listener on to each. */
    private record Factory(List<SourceFactory> sources) implements TaggerFactory {
        @Override
        public Tagger create(Taxonomy taxonomy) {
            return create(taxonomy, LlmListener.NONE);
        }

        @Override
        public Tagger create(Taxonomy taxonomy, LlmListener llm) {
            List<Source> built = new ArrayList<>();
            for (SourceFactory source : sources) {
                built.add(new Source(source.factory().create(taxonomy, llm), source.heuristic()));
            }
            return new EnsembleTagger(built);
        }
    }

    @Override
    public boolean calibratedFor(String tenant) {
        return sources.stream().anyMatch(s -> s.tagger().calibratedFor(tenant));
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
            boolean calibrated = calibratedFor(requests.get(i).tenant());
            List<TagAssignment> proposals = new ArrayList<>();
            java.util.Set<String> proposedByOthers = new java.util.HashSet<>();
            for (int s = 0; s < sources.size(); s++) {
                if (!sources.get(s).heuristic()) {
                    bySource.get(s).get(i).forEach(t -> proposedByOthers.add(t.tag()));
                }
            }
            for (int s = 0; s < sources.size(); s++) {
                for (TagAssignment proposal : bySource.get(s).get(i)) {
                    if (!calibrated || !sources.get(s).heuristic() || proposedByOthers.contains(proposal.tag())) {
                        proposals.add(proposal);
                    }
                }
            }
            merged.add(merge(proposals));
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
