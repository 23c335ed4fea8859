package io.tagstream.udfs.tagging.llm;

import java.io.Serializable;

/**
 * The LLM tagger's configuration ({@code llm.*} keys). The API key is never here: only the name
 * of the environment variable that holds it, read where the model is built.
 *
 * @param provider {@code openai} (any OpenAI-compatible server), {@code ollama} or {@code gemini}
 */
public record LlmSettings(
        String provider,
        String baseUrl,
        String model,
        String apiKeyEnv,
        String promptVersion,
        long timeoutMillis,
        int maxAttempts,
        long backoffMillis,
        int breakerFailures,
        long breakerOpenMillis,
        long maxTokensPerItem,
        double maxUsdPerItem,
        LlmPricing pricing,
        int maxOutputTokens,
        int topK) implements Serializable {

    public LlmSettings {
        if (maxAttempts < 1 || maxAttempts > 3) {
            throw new IllegalArgumentException("llm.max-attempts must be 1, 2 or 3, was " + maxAttempts);
        }
    }
}
