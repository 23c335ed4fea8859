package io.tagstream.udfs.tagging.embedding;

import java.io.Serializable;

/**
 * How the embedding tagger scores ({@code tagging.embedding.*}); {@code docs/quality.md} says where
 * each default comes from.
 *
 * @param neighbours examples that vote on a content's tags (k of k-NN)
 * @param temperature how sharply closer examples outvote farther ones
 * @param zeroShotMinZ how far (in standard deviations of the content's similarities to all tags)
 *     above the content's mean a tag must be to be proposed without examples; chosen on examples
 *     held apart from every evaluated item
 * @param unseenTagMinZ the same bar, once a tenant's examples are in use, for tags none of its
 *     examples carries: higher, because on held-apart data such zero-shot guesses next to
 *     example votes cost more precision than they add recall
 * @param minExamples contents with confirmed tags a tenant needs before its examples (and their
 *     learned thresholds) are used
 * @param minPositives confirmed tags a dimension needs for a threshold of its own
 * @param refreshMillis how often new examples are read from the store
 * @param headsWeight the share of the linear heads ({@link LinearTagHeads}) in a tag's learned
 *     score, the k-NN vote having the rest; 0 is the k-NN vote alone
 * @param ridge λ of the linear heads' ridge regression
 * @param similarityPrior weight of the tag's zero-shot evidence (its similarity z-score over the
 *     content's tags, from 0) added to the learned score of tags the examples carry
 */
public record EmbeddingTaggerSettings(
        String englishModel,
        String chineseModel,
        int neighbours,
        double temperature,
        double zeroShotMinZ,
        double unseenTagMinZ,
        int minExamples,
        int minPositives,
        long refreshMillis,
        double headsWeight,
        double ridge,
        double similarityPrior) implements Serializable {

    /** The k-NN vote alone, as before the linear heads (the baseline {@code tagstream eval} prints). */
    public EmbeddingTaggerSettings(String englishModel, String chineseModel, int neighbours, double temperature,
            double zeroShotMinZ, double unseenTagMinZ, int minExamples, int minPositives, long refreshMillis) {
        this(englishModel, chineseModel, neighbours, temperature, zeroShotMinZ, unseenTagMinZ, minExamples, minPositives,
                refreshMillis, 0, 0.3, 0);
    }

    /** These settings with the k-NN vote alone: no linear heads, no similarity prior. */
    public EmbeddingTaggerSettings kNearestNeighboursOnly() {
        return new EmbeddingTaggerSettings(englishModel, chineseModel, neighbours, temperature, zeroShotMinZ, unseenTagMinZ,
                minExamples, minPositives, refreshMillis, 0, ridge, 0);
    }

    /** The model for a text: the Chinese one for Chinese text ({@link EmbeddingModels#isChinese}). */
    public String modelFor(String lang, String text) {
        return EmbeddingModels.isChinese(lang, text) ? chineseModel : englishModel;
    }
}
