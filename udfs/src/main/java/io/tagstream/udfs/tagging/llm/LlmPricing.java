package io.tagstream.udfs.tagging.llm;

import java.io.Serializable;

/** Dollars per million input and output tokens of the configured model, for cost estimates. */
public record LlmPricing(double inputUsdPerMillion, double outputUsdPerMillion) implements Serializable {

    public double costUsd(long inputTokens, long outputTokens) {
        return (inputTokens * inputUsdPerMillion + outputTokens * outputUsdPerMillion) / 1_000_000.0;
    }

    /** About four characters per token: enough to check a budget before the call. */
    public static long estimateTokens(String text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }
}
