package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a suggestion session is: understanding → exploring → refining → finalizing → completed,
 * or aborted from any phase. Serialized in lower case, as the seed's state machine spells it.
 */
public enum SessionPhase {
    UNDERSTANDING,
    EXPLORING,
    REFINING,
    FINALIZING,
    COMPLETED,
    ABORTED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Completed and aborted sessions take no more turns. */
    public boolean over() {
        return this == COMPLETED || this == ABORTED;
    }
}
