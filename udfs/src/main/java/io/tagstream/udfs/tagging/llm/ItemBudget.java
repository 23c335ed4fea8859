package io.tagstream.udfs.tagging.llm;

/**
 * What one content may spend on the language model, over all its attempts: tokens and dollars.
 * An attempt is allowed only when its estimated cost still fits.
 */
public final class ItemBudget {
    private final long maxTokens;
    private final double maxUsd;
    private final LlmPricing pricing;
    private long tokens;
    private double usd;

    public ItemBudget(long maxTokens, double maxUsd, LlmPricing pricing) {
        this.maxTokens = maxTokens;
        this.maxUsd = maxUsd;
        this.pricing = pricing;
    }

    /** Whether an attempt with this many input tokens and at most this many output tokens fits. */
    public boolean allows(long inputTokens, long maxOutputTokens) {
        return tokens + inputTokens + maxOutputTokens <= maxTokens
                && usd + pricing.costUsd(inputTokens, maxOutputTokens) <= maxUsd + 1e-12;
    }

    public void spend(long inputTokens, long outputTokens) {
        tokens += inputTokens + outputTokens;
        usd += pricing.costUsd(inputTokens, outputTokens);
    }

    public long tokensSpent() {
        return tokens;
    }

    public double usdSpent() {
        return usd;
    }
}
