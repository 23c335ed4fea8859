package io.tagstream.udfs.tagging.embedding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One linear head per tag over the embedding (plus a bias), fitted jointly by ridge regression
 * on the confirmed examples: target 1 where a tag is confirmed on a content, 0 where it is not or
 * was rejected (a content whose only verdicts are REJECTs is still a training row: a negative
 * for every tag). All heads share one Gram matrix {@code XᵀX + λI}, so fitting costs one
 * (d+1)² inverse and a pass over the examples, whatever the number of tags, and the
 * leave-one-out score of every example is exact and cheap: {@code (ŷᵢ − hᵢ yᵢ) / (1 − hᵢ)}, with
 * {@code hᵢ = xᵢᵀ (XᵀX + λI)⁻¹ xᵢ}. The thresholds are learned from those scores
 * ({@link DimensionThresholds}), as they are for the k-NN vote.
 */
final class LinearTagHeads {
    private final List<String> tags;
    private final double[][] weights; // [tag][d + 1]
    private final List<Map<String, Double>> leaveOneOut;

    private LinearTagHeads(List<String> tags, double[][] weights, List<Map<String, Double>> leaveOneOut) {
        this.tags = tags;
        this.weights = weights;
        this.leaveOneOut = leaveOneOut;
    }

    /** Fits the heads of every tag some example carries; {@code ridge} is λ. */
    static LinearTagHeads fit(List<ExampleIndex.Item> items, double ridge) {
        if (items.isEmpty()) {
            return new LinearTagHeads(List.of(), new double[0][], List.of());
        }
        int d = items.get(0).vector().length + 1;
        Map<String, Integer> index = new LinkedHashMap<>();
        for (ExampleIndex.Item item : items) {
            for (String tag : item.tags()) {
                index.putIfAbsent(tag, index.size());
            }
        }
        double[][] gram = new double[d][d];
        double[][] xty = new double[index.size()][d];
        double[] x = new double[d];
        for (ExampleIndex.Item item : items) {
            features(item.vector(), x);
            for (int i = 0; i < d; i++) {
                double xi = x[i];
                if (xi == 0) {
                    continue;
                }
                double[] row = gram[i];
                for (int j = i; j < d; j++) {
                    row[j] += xi * x[j];
                }
            }
            for (String tag : item.tags()) {
                double[] target = xty[index.get(tag)];
                for (int i = 0; i < d; i++) {
                    target[i] += x[i];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                gram[i][j] = gram[j][i];
            }
            gram[i][i] += ridge;
        }
        double[][] inverse = invert(gram);
        double[][] weights = new double[index.size()][];
        for (int t = 0; t < weights.length; t++) {
            weights[t] = multiply(inverse, xty[t]);
        }
        List<String> tags = new ArrayList<>(index.keySet());
        List<Map<String, Double>> loo = new ArrayList<>(items.size());
        double[] ax = new double[d];
        for (ExampleIndex.Item item : items) {
            features(item.vector(), x);
            for (int i = 0; i < d; i++) {
                ax[i] = dot(inverse[i], x);
            }
            double h = dot(x, ax);
            Map<String, Double> scores = new HashMap<>();
            for (int t = 0; t < weights.length; t++) {
                double y = item.tags().contains(tags.get(t)) ? 1 : 0;
                double score = (dot(weights[t], x) - h * y) / (1 - h);
                if (score > 0) {
                    scores.put(tags.get(t), score);
                }
            }
            loo.add(scores);
        }
        return new LinearTagHeads(tags, weights, loo);
    }

    /** Each head's score for the vector (positive scores only), roughly in [0, 1]. */
    Map<String, Double> scores(float[] vector) {
        double[] x = new double[vector.length + 1];
        features(vector, x);
        Map<String, Double> scores = new HashMap<>();
        for (int t = 0; t < weights.length; t++) {
            double score = dot(weights[t], x);
            if (score > 0) {
                scores.put(tags.get(t), score);
            }
        }
        return scores;
    }

    /** The exact leave-one-out scores of the examples it was fitted on, in their order. */
    List<Map<String, Double>> leaveOneOut() {
        return leaveOneOut;
    }

    Set<String> tags() {
        return Set.copyOf(tags);
    }

    private static void features(float[] vector, double[] x) {
        for (int i = 0; i < vector.length; i++) {
            x[i] = vector[i];
        }
        x[vector.length] = 1; // bias
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = dot(m[i], v);
        }
        return out;
    }

    /** Gauss–Jordan with partial pivoting; the matrix is symmetric positive definite (λ > 0). */
    static double[][] invert(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
            inv[i][i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            swap = inv[col];
            inv[col] = inv[pivot];
            inv[pivot] = swap;
            double p = a[col][col];
            if (p == 0) {
                throw new ArithmeticException("singular matrix");
            }
            for (int j = 0; j < n; j++) {
                a[col][j] /= p;
                inv[col][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                double f = a[r][col];
                if (r == col || f == 0) {
                    continue;
                }
                double[] ar = a[r];
                double[] ir = inv[r];
                double[] ac = a[col];
                double[] ic = inv[col];
                for (int j = 0; j < n; j++) {
                    ar[j] -= f * ac[j];
                    ir[j] -= f * ic[j];
                }
            }
        }
        return inv;
    }
}
