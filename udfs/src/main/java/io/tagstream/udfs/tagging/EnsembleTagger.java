package io.tagstream.udfs.tagging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the proposals of several sources (embedding, LLM, rules) into one set. A tag proposed
 * by one source keeps that source's assignment. A tag several sources agree on keeps the most
 * confident source's assignment (its source, model and prompt version), with the agreement
 * counted as independent evidence, {@code 1 - Π(1 - c)}, and every source's confidence and
 * reason kept in the reason.
 */
public final class EnsembleTagger implements Tagger {
    private final List<Tagger> sources;

    public EnsembleTagger(List<Tagger> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one source");
        }
        this.sources = List.copyOf(sources);
    }

    public static TaggerFactory factory(List<TaggerFactory> sources) {
        List<TaggerFactory> copy = List.copyOf(sources);
        return taxonomy -> {
            List<Tagger> built = new ArrayList<>();
            for (TaggerFactory source : copy) {
                built.add(source.create(taxonomy));
            }
            return new EnsembleTagger(built);
        };
    }

    @Override
    public List<TagAssignment> tag(TaggingRequest request) {
        return tagAll(List.of(request)).get(0);
    }

    @Override
    public List<List<TagAssignment>> tagAll(List<TaggingRequest> requests) {
        List<List<List<TagAssignment>>> bySource = new ArrayList<>();
        for (Tagger source : sources) {
            bySource.add(source.tagAll(requests));
        }
        List<List<TagAssignment>> merged = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            List<TagAssignment> proposals = new ArrayList<>();
            for (List<List<TagAssignment>> results : bySource) {
                proposals.addAll(results.get(i));
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
        for (Tagger source : sources) {
            try {
                source.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
