package io.tagstream.udfs.suggest;

import java.io.Serializable;

/** What model calls cost: tokens in and out, and the price in US dollars. */
public record Usage(long inputTokens, long outputTokens, double cost) implements Serializable {

    public static final Usage NONE = new Usage(0, 0, 0.0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || !(cost >= 0.0)) {
            throw new IllegalArgumentException("usage cannot be negative: " + inputTokens + " in, " + outputTokens
                    + " out, $" + cost);
        }
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens, cost + other.cost);
    }
}
