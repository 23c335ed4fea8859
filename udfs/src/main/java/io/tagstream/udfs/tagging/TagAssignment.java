package io.tagstream.udfs.tagging;

import io.tagstream.schemas.TagSource;

/**
 * One tag a tagger (or a user) assigns to one content.
 *
 * @param confidence in [0, 1]; bands ({@link ConfidenceBand}): high ≥ 0.8, medium ≥ 0.6, low below
 * @param model the model (and, for a fallback, what it fell back from) that proposed the tag
 * @param promptVersion the prompt template's version when a language model proposed the tag
 * @param reason the evidence, for a person to read
 */
public record TagAssignment(
        String tag,
        String dimension,
        double confidence,
        TagSource source,
        String model,
        String promptVersion,
        String reason) {

    public TagAssignment {
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence of '" + tag + "' must be in [0, 1], was " + confidence);
        }
    }

    /** A tag from a source without prompts (rules, embeddings, users). */
    public TagAssignment(String tag, String dimension, double confidence, TagSource source, String model, String reason) {
        this(tag, dimension, confidence, source, model, null, reason);
    }

    public TagAssignment withConfidence(double newConfidence, String newReason) {
        return new TagAssignment(tag, dimension, newConfidence, source, model, promptVersion, newReason);
    }
}
