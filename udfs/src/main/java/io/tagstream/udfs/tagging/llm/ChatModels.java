package io.tagstream.udfs.tagging.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the langchain4j chat model the settings name. The client's own retries are off: the
 * tagger counts attempts itself (at most 3, with backoff, under a circuit breaker and budget).
 */
public final class ChatModels {
    private ChatModels() {}

    public static ChatModel create(LlmSettings settings, Map<String, String> env) {
        Duration timeout = Duration.ofMillis(settings.timeoutMillis());
        String key = settings.apiKeyEnv() == null || settings.apiKeyEnv().isBlank() ? null : env.get(settings.apiKeyEnv());
        return switch (settings.provider()) {
            case "openai" -> {
                var builder = OpenAiChatModel.builder()
                        .apiKey(key == null ? "none" : key)
                        .modelName(settings.model())
                        .timeout(timeout)
                        .maxRetries(0)
                        .temperature(0.0)
                        .maxTokens(settings.maxOutputTokens());
                if (!settings.baseUrl().isBlank()) {
                    builder.baseUrl(settings.baseUrl());
                }
                yield builder.build();
            }
            case "ollama" -> OllamaChatModel.builder()
                    .baseUrl(settings.baseUrl().isBlank() ? "http://127.0.0.1:11434" : settings.baseUrl())
                    .modelName(settings.model())
                    .timeout(timeout)
                    .maxRetries(0)
                    .temperature(0.0)
                    .build();
            case "gemini" -> {
                if (key == null) {
                    throw new IllegalArgumentException("llm.provider gemini needs an API key in $" + settings.apiKeyEnv());
                }
                yield GoogleAiGeminiChatModel.builder()
                        .apiKey(key)
                        .modelName(settings.model())
                        .timeout(timeout)
                        .maxRetries(0)
                        .temperature(0.0)
                        .build();
            }
            default -> throw new IllegalArgumentException(
                    "llm.provider must be openai, ollama or gemini, was '" + settings.provider() + "'");
        };
    }
}
