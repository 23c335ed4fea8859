package io.tagstream.udfs.quality;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Multi-label quality of predicted tag sets against gold ones: micro precision, recall and F1
 * (over all tag decisions), macro F1 (the mean of per-tag F1 over every tag that is gold or
 * predicted somewhere), tags per item and coverage (the share of items with at least one tag).
 */
public final class MultiLabelScores {
    private long truePositives;
    private long predicted;
    private long gold;
    private int items;
    private int covered;
    private final Map<String, long[]> perTag = new HashMap<>(); // tp, predicted, gold

    public void add(Set<String> predictedTags, Set<String> goldTags) {
        items++;
        covered += predictedTags.isEmpty() ? 0 : 1;
        predicted += predictedTags.size();
        gold += goldTags.size();
        Set<String> all = new HashSet<>(predictedTags);
        all.addAll(goldTags);
        for (String tag : all) {
            long[] c = perTag.computeIfAbsent(tag, t -> new long[3]);
            boolean p = predictedTags.contains(tag);
            boolean g = goldTags.contains(tag);
            if (p && g) {
                truePositives++;
                c[0]++;
            }
            if (p) {
                c[1]++;
            }
            if (g) {
                c[2]++;
            }
        }
    }

    /** The share of items given at least one tag. */
    public double coverage() {
        return items == 0 ? 0 : (double) covered / items;
    }

    public int items() {
        return items;
    }

    public double microPrecision() {
        return predicted == 0 ? 0 : (double) truePositives / predicted;
    }

    public double microRecall() {
        return gold == 0 ? 0 : (double) truePositives / gold;
    }

    public double microF1() {
        return predicted + gold == 0 ? 0 : 2.0 * truePositives / (predicted + gold);
    }

    public double macroF1() {
        if (perTag.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (long[] c : perTag.values()) {
            sum += 2.0 * c[0] / (c[1] + c[2]);
        }
        return sum / perTag.size();
    }

    public double predictedPerItem() {
        return items == 0 ? 0 : (double) predicted / items;
    }

    public double goldPerItem() {
        return items == 0 ? 0 : (double) gold / items;
    }

    public static MultiLabelScores of(List<Set<String>> predictedTags, List<Set<String>> goldTags) {
        MultiLabelScores scores = new MultiLabelScores();
        for (int i = 0; i < goldTags.size(); i++) {
            scores.add(predictedTags.get(i), goldTags.get(i));
        }
        return scores;
    }
}
