package io.tagstream.jobs.it;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.udfs.tagging.llm.OpenAiWireServer;
import java.util.HashMap;
import java.util.Map;

/** The settings of a tagging job whose LLM is an {@link OpenAiWireServer}, over the four tags of it-taxonomy.json. */
final class FakeLlmJob {
    private FakeLlmJob() {}

    /** An isolated configuration (see {@link LocalStack#isolatedConfig}) with {@code more} on top. */
    static TagstreamConfig config(String testName, OpenAiWireServer server, Map<String, String> more) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "tagging.tagger", "llm",
                "llm.base-url", server.baseUrl(),
                "llm.model", "gpt-test",
                "llm.backoff-ms", "10",
                // Over four tags z-scores stay small: a recipe's cosine to topic::cooking stands 1.7 sd
                // out, an embedding fallback candidate of confidence 0.34, which these let through.
                "tagging.embedding.zero-shot-min-z", "1.2",
                "tagging.min-confidence", "0.2",
                // the first call loads the embedding model for the fallback
                "tagging.async.timeout-ms", "300000"));
        settings.putAll(more);
        return LocalStack.isolatedConfig(testName, settings);
    }
}
