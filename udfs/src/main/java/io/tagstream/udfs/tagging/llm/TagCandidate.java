package io.tagstream.udfs.tagging.llm;

/** A tag a language model proposed that the taxonomy does not have: kept for a person to review. */
public record TagCandidate(
        String tenant, String label, String dimension, String contentId, String model, String promptVersion,
        double confidence, String reason) {}
