package io.tagstream.udfs.taxonomy;

import java.util.ArrayList;
import java.util.List;

/**
 * "IF every keyword in {@code allOf} occurs THEN tag {@code tag}", with the confidence its author
 * gives it. Written in the taxonomy file as
 * {@code {"kind": "rule", "tag": "topic::flink", "all": ["stream", "window"], "confidence": 0.8}}.
 */
public record TagRule(String tag, List<String> allOf, double confidence) implements java.io.Serializable {

    public TagRule {
        allOf = allOf == null ? new ArrayList<>() : new ArrayList<>(allOf);
        if (allOf.isEmpty()) {
            throw new IllegalArgumentException("rule for '" + tag + "' needs at least one keyword");
        }
        if (!(confidence > 0 && confidence <= 1)) {
            throw new IllegalArgumentException("rule for '" + tag + "': confidence must be in (0, 1], was " + confidence);
        }
    }
}
