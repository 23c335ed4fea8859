package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a tag came from. Serialized in lower case, as the contract spells it. */
public enum TagSource {
    EMBEDDING,
    LLM,
    RULE,
    IMPLIED,
    USER,
    TAXONOMY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
