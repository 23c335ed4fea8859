package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One validated tag of a suggestion: canonical id, its label and dimension, the confidence and
 * where it came from ({@code rule}: found in the idea, {@code taxonomy}: related in the knowledge
 * graph, {@code implied}, {@code user}: asked for in a refinement).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuggestedTag(String tag, String label, String dimension, double confidence, TagSource source,
        String reason) {}
