package io.tagstream.udfs.tagging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps the k most confident tags of each dimension; ties go to the smaller tag id, so it is stable. */
public final class TopKPerDimension {
    public static final Comparator<TagAssignment> MOST_CONFIDENT_FIRST =
            Comparator.comparingDouble(TagAssignment::confidence).reversed().thenComparing(TagAssignment::tag);

    private TopKPerDimension() {}

    public static List<TagAssignment> select(List<TagAssignment> tags, int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, was " + k);
        }
        List<TagAssignment> sorted = new ArrayList<>(tags);
        sorted.sort(MOST_CONFIDENT_FIRST);
        Map<String, Integer> perDimension = new LinkedHashMap<>();
        List<TagAssignment> kept = new ArrayList<>();
        for (TagAssignment tag : sorted) {
            String dimension = tag.dimension() == null ? "" : tag.dimension();
            if (perDimension.merge(dimension, 1, Integer::sum) <= k) {
                kept.add(tag);
            }
        }
        return kept;
    }
}
