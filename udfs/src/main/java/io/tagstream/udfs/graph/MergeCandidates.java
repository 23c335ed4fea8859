package io.tagstream.udfs.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds tags that look like the same thing: pairs whose embeddings are more similar than a
 * threshold. The result is for a person to review; nothing is merged automatically.
 */
public final class MergeCandidates {

    /** A pair ({@code tagA < tagB}) with its cosine similarity and the evidence shown to a reviewer. */
    public record Candidate(String tagA, String tagB, double similarity, String evidence) {}

    private MergeCandidates() {}

    /**
     * @param vectors one embedding per tag (of the text that describes it)
     * @param texts the text each vector was made from, quoted in the evidence
     */
    public static List<Candidate> find(Map<String, float[]> vectors, Map<String, String> texts, double threshold) {
        List<String> tags = new ArrayList<>(new TreeMap<>(vectors).keySet());
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            for (int j = i + 1; j < tags.size(); j++) {
                double similarity = cosine(vectors.get(tags.get(i)), vectors.get(tags.get(j)));
                if (similarity > threshold) {
                    candidates.add(new Candidate(tags.get(i), tags.get(j), similarity, String.format(
                            "cosine %.3f between \"%s\" and \"%s\"", similarity,
                            texts.getOrDefault(tags.get(i), tags.get(i)), texts.getOrDefault(tags.get(j), tags.get(j)))));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::similarity).reversed()
                .thenComparing(Candidate::tagA).thenComparing(Candidate::tagB));
        return candidates;
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different sizes: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
