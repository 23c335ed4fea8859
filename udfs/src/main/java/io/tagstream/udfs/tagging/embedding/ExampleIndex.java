package io.tagstream.udfs.tagging.embedding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The confirmed examples of one tenant for one embedding model: each content once, with its
 * vector and the tags confirmed on it. Answers k-nearest-neighbour votes per tag.
 */
final class ExampleIndex {

    /**
     * One labelled neighbour: its confirmed tags vote; {@code rejected} are tags a user took off
     * it (REJECT, REMOVE), negatives for the linear heads. A content with only rejected tags
     * stays as a negative example.
     */
    record Item(String contentId, float[] vector, Set<String> tags, Set<String> rejected) {
        Item(String contentId, float[] vector, Set<String> tags) {
            this(contentId, vector, tags, new TreeSet<>());
        }
    }

    private final Map<String, Item> items = new LinkedHashMap<>();
    private List<Item> snapshot = List.of();
    private List<Item> voters = List.of();
    private boolean dirty;

    void apply(TagExample example) {
        Item item = items.get(example.contentId());
        Set<String> tags = item == null ? new TreeSet<>() : item.tags();
        Set<String> rejected = item == null ? new TreeSet<>() : item.rejected();
        if (example.active()) {
            tags.add(example.tag());
            rejected.remove(example.tag());
        } else {
            tags.remove(example.tag());
            rejected.add(example.tag());
        }
        if (example.vector() == null) {
            return;
        }
        items.put(example.contentId(), new Item(example.contentId(), Vectors.unit(example.vector()), tags, rejected));
        dirty = true;
    }

    /** Contents with at least one confirmed tag (the neighbours that can vote). */
    int size() {
        return voters().size();
    }

    /** Every content with a verdict, confirmed tags or only rejections. */
    List<Item> items() {
        if (dirty) {
            snapshot = new ArrayList<>(items.values());
            voters = snapshot.stream().filter(i -> !i.tags().isEmpty()).toList();
            dirty = false;
        }
        return snapshot;
    }

    /** The contents with at least one confirmed tag: the neighbours of a k-NN vote. */
    List<Item> voters() {
        items();
        return voters;
    }

    /** Tags any example carries. */
    Set<String> knownTags() {
        Set<String> known = new TreeSet<>();
        for (Item item : items.values()) {
            known.addAll(item.tags());
        }
        return known;
    }

    /**
     * Soft k-NN vote: the {@code k} most similar examples (skipping {@code exclude}) vote for
     * their tags with weight {@code exp((sim - best) / temperature)}; a tag's score is its share
     * of the total weight, in [0, 1].
     */
    static Map<String, Double> vote(float[] query, Collection<Item> candidates, Item exclude, int k, double temperature) {
        int n = Math.min(k, candidates.size() - (exclude == null ? 0 : 1));
        if (n <= 0) {
            return Map.of();
        }
        Item[] best = new Item[n];
        double[] sims = new double[n];
        int filled = 0;
        for (Item item : candidates) {
            if (item == exclude) {
                continue;
            }
            double sim = Vectors.dot(query, item.vector());
            if (filled < n) {
                insert(best, sims, filled++, item, sim);
            } else if (sim > sims[n - 1]) {
                insert(best, sims, n - 1, item, sim);
            }
        }
        Map<String, Double> scores = new HashMap<>();
        double total = 0;
        for (int i = 0; i < filled; i++) {
            double weight = Math.exp((sims[i] - sims[0]) / temperature);
            total += weight;
            for (String tag : best[i].tags()) {
                scores.merge(tag, weight, Double::sum);
            }
        }
        double sum = total;
        scores.replaceAll((tag, weight) -> weight / sum);
        return scores;
    }

    /** Insertion into the sorted (descending) prefix [0, last]. */
    private static void insert(Item[] best, double[] sims, int last, Item item, double sim) {
        int i = last;
        while (i > 0 && sims[i - 1] < sim) {
            best[i] = best[i - 1];
            sims[i] = sims[i - 1];
            i--;
        }
        best[i] = item;
        sims[i] = sim;
    }
}
