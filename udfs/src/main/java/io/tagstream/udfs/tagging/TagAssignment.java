package io.tagstream.udfs.tagging;

import io.tagstream.schemas.TagSource;

/**
 * One tag a tagger (or a user) assigns to one content.
 *
 * @param confidence in [0, 1]; bands: high ≥ 0.8, medium ≥ 0.6, low below
 * @param reason the evidence, for a person to read
 */
public record TagAssignment(
        String tag, String dimension, double confidence, TagSource source, String model, String reason) {

    public TagAssignment {
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence of '" + tag + "' must be in [0, 1], was " + confidence);
        }
    }
}
