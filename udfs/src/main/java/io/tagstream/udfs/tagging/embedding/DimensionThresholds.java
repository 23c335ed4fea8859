package io.tagstream.udfs.tagging.embedding;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The vote a tag needs to be proposed, per dimension, learned from the confirmed examples
 * themselves by leave-one-out: each example is tagged from the others, and each dimension gets
 * the threshold that maximises F1 over its examples. A dimension with fewer than
 * {@code minPositives} confirmed tags uses the threshold learned over all dimensions together.
 */
final class DimensionThresholds {
    static final double STEP = 0.05;

    private final Map<String, Double> byDimension;
    private final double global;

    DimensionThresholds(Map<String, Double> byDimension, double global) {
        this.byDimension = Map.copyOf(byDimension);
        this.global = global;
    }

    double of(String dimension) {
        return byDimension.getOrDefault(dimension, global);
    }

    double global() {
        return global;
    }

    Map<String, Double> byDimension() {
        return new TreeMap<>(byDimension);
    }

    static DimensionThresholds calibrate(
            List<ExampleIndex.Item> items, Function<String, String> dimensionOf, int k, double temperature, int minPositives) {
        List<Map<String, Double>> scores = new java.util.ArrayList<>(items.size());
        List<Set<String>> gold = new java.util.ArrayList<>(items.size());
        for (ExampleIndex.Item item : items) {
            scores.add(ExampleIndex.vote(item.vector(), items, item, k, temperature));
            gold.add(item.tags());
        }
        return calibrate(scores, gold, dimensionOf, minPositives);
    }

    /**
     * The same from held-out scores already computed: {@code scores.get(i)} scores example i by a
     * model that did not see it, {@code gold.get(i)} are its confirmed tags.
     */
    static DimensionThresholds calibrate(
            List<Map<String, Double>> scores, List<Set<String>> gold, Function<String, String> dimensionOf, int minPositives) {
        int steps = (int) Math.round(1 / STEP) - 1; // thresholds 0.05 .. 0.95
        Map<String, long[][]> counts = new HashMap<>(); // dimension -> [step][tp, fp, fn]
        long[][] all = new long[steps][3];
        Map<String, Integer> positives = new HashMap<>();
        for (int i = 0; i < scores.size(); i++) {
            Map<String, Double> considered = new HashMap<>(scores.get(i));
            Set<String> itemGold = gold.get(i);
            for (String tag : itemGold) {
                considered.putIfAbsent(tag, 0.0);
                positives.merge(dimensionOf.apply(tag), 1, Integer::sum);
            }
            for (Map.Entry<String, Double> entry : considered.entrySet()) {
                String dimension = dimensionOf.apply(entry.getKey());
                long[][] c = counts.computeIfAbsent(dimension, d -> new long[steps][3]);
                boolean isGold = itemGold.contains(entry.getKey());
                for (int s = 0; s < steps; s++) {
                    boolean predicted = entry.getValue() >= threshold(s);
                    int cell = predicted ? (isGold ? 0 : 1) : (isGold ? 2 : -1);
                    if (cell >= 0) {
                        c[s][cell]++;
                        all[s][cell]++;
                    }
                }
            }
        }
        Map<String, Double> byDimension = new HashMap<>();
        for (Map.Entry<String, long[][]> entry : counts.entrySet()) {
            if (positives.getOrDefault(entry.getKey(), 0) >= minPositives) {
                byDimension.put(entry.getKey(), best(entry.getValue()));
            }
        }
        return new DimensionThresholds(byDimension, best(all));
    }

    static double threshold(int step) {
        return Math.round((step + 1) * STEP * 100) / 100.0;
    }

    /** The threshold of highest F1; ties go to the higher threshold (fewer, surer tags). */
    private static double best(long[][] counts) {
        int best = counts.length / 2;
        double bestF1 = -1;
        for (int s = 0; s < counts.length; s++) {
            long tp = counts[s][0];
            long denominator = 2 * tp + counts[s][1] + counts[s][2];
            double f1 = denominator == 0 ? 0 : 2.0 * tp / denominator;
            if (f1 >= bestF1) {
                bestF1 = f1;
                best = s;
            }
        }
        return threshold(best);
    }
}
