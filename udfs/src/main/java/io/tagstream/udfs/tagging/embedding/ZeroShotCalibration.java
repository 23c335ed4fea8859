package io.tagstream.udfs.tagging.embedding;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot evidence of each tag for one content, comparable across taxonomies of any size: a
 * weighted mean of the content's similarity to the tag standardised over all the taxonomy's tags
 * (z, weight 1) and the same standardised over the tags of the tag's own dimension (weight
 * {@value #WITHIN_DIMENSION_WEIGHT}); a weighted mean, so it reads on z's scale. The second term asks "is this the answer among its alternatives?": in a dimension
 * where every tag is about as similar, none stands out and none is proposed (the dimension's
 * "none of these"); a dimension of one tag has no alternatives and adds nothing.
 *
 * <p>Measured with the embedding alone on debtags items 0–999 (docs/quality.md), best micro-F1
 * over the threshold: 0.204 → 0.227 on the 642-tag vocabulary and 0.344 → 0.355 on its 112-tag
 * cut, with the best threshold near 3.25–3.5 on both before dividing by 1.5 (z alone: 2.25 and 2.0).
 */
final class ZeroShotCalibration {
    static final double WITHIN_DIMENSION_WEIGHT = 0.5;
    static final int REFERENCE_TAGS = 642;

    private ZeroShotCalibration() {}

    /**
     * @param sims the content's similarity to each tag
     * @param dimensions each tag's dimension, same order
     * @return each tag's calibrated score, same order; all 0 with fewer than two tags
     */
    static double[] scores(double[] sims, List<String> dimensions) {
        int n = sims.length;
        double[] out = new double[n];
        if (n < 2) {
            return out;
        }
        double[] z = standardised(sims);
        Map<String, double[]> moments = new HashMap<>(); // dimension -> count, sum, sum of squares
        for (int t = 0; t < n; t++) {
            double[] m = moments.computeIfAbsent(dimensions.get(t), d -> new double[3]);
            m[0]++;
            m[1] += sims[t];
            m[2] += sims[t] * sims[t];
        }
        for (int t = 0; t < n; t++) {
            double[] m = moments.get(dimensions.get(t));
            double within = 0;
            if (m[0] >= 2) {
                double mean = m[1] / m[0];
                double sd = Math.sqrt(Math.max(0, m[2] / m[0] - mean * mean));
                within = sd < 1e-9 ? 0 : (sims[t] - mean) / sd;
            }
            out[t] = (z[t] + WITHIN_DIMENSION_WEIGHT * within) / (1 + WITHIN_DIMENSION_WEIGHT) * sizeFactor(n);
        }
        return out;
    }

    /**
     * The highest of n similarities stands about √(2 ln n) sd above the mean by chance alone: a
     * z of 3 is unremarkable among 642 tags and rare among 30. Scores are scaled to read as they
     * would among {@value #REFERENCE_TAGS} tags, the size the confidence mapping was chosen on.
     */
    static double sizeFactor(int tags) {
        return Math.sqrt(2 * Math.log(REFERENCE_TAGS)) / Math.sqrt(2 * Math.log(Math.max(2, tags)));
    }

    /** (x − mean) / sd over all of {@code values}. */
    static double[] standardised(double[] values) {
        int n = values.length;
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        double variance = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(variance / n);
        double[] z = new double[n];
        for (int t = 0; t < n; t++) {
            z[t] = sd == 0 ? 0 : (values[t] - mean) / sd;
        }
        return z;
    }
}
