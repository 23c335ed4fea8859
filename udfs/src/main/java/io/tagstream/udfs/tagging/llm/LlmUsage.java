package io.tagstream.udfs.tagging.llm;

/**
 * One call to a language model, as {@code llm_usage} records it.
 *
 * @param outcome {@code ok}, {@code invalid_output}, {@code rate_limited}, {@code server_error},
 *     {@code timeout}, {@code unreachable} (connection refused), {@code error}
 */
public record LlmUsage(
        String tenant,
        String contentId,
        String model,
        String purpose,
        String promptVersion,
        int attempt,
        long inputTokens,
        long outputTokens,
        double costUsd,
        long latencyMs,
        String outcome,
        String error) {
    public static final String OK = "ok";

    public boolean succeeded() {
        return OK.equals(outcome);
    }
}
