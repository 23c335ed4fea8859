package io.tagstream.jobs;

import io.tagstream.sinks.postgres.PostgresLlmRecorder;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggerFactory;
import io.tagstream.udfs.tagging.embedding.EmbeddingTagger;
import io.tagstream.udfs.tagging.llm.ChatModels;
import io.tagstream.udfs.tagging.llm.LlmListener;
import io.tagstream.udfs.tagging.llm.LlmPricing;
import io.tagstream.udfs.tagging.llm.LlmRecorder;
import io.tagstream.udfs.tagging.llm.LlmSettings;
import io.tagstream.udfs.tagging.llm.LlmTagger;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.util.Optional;

/**
 * The LLM tagger as the configuration describes it ({@code llm.*}): the chat model of
 * {@code llm.provider}, the embedding tagger as fallback and as the mapper of out-of-taxonomy
 * proposals, and {@code llm_usage} / {@code tag_candidates} in PostgreSQL.
 */
public final class LlmTaggers {
    /** An out-of-taxonomy label this similar to a tag's text is taken as that tag. */
    static final double MAP_SIMILARITY = 0.85;

    private LlmTaggers() {}

    public static LlmSettings settings(TagstreamConfig config) {
        return new LlmSettings(
                config.get("llm.provider"),
                config.get("llm.base-url"),
                config.get("llm.model"),
                config.get("llm.api-key-env"),
                config.get("llm.prompt-version"),
                config.getLong("llm.timeout-ms"),
                config.getInt("llm.max-attempts"),
                config.getLong("llm.backoff-ms"),
                config.getInt("llm.breaker.failures"),
                config.getLong("llm.breaker.open-ms"),
                config.getLong("llm.budget.max-tokens-per-item"),
                config.getDouble("llm.budget.max-usd-per-item"),
                new LlmPricing(config.getDouble("llm.price.input-usd-per-mtok"), config.getDouble("llm.price.output-usd-per-mtok")),
                config.getInt("llm.max-output-tokens"),
                config.getInt("tagging.top-k"));
    }

    public static TaggerFactory factory(TagstreamConfig config, TaggerFactory embedding) throws java.io.IOException {
        LlmSettings settings = settings(config);
        LlmRecorder.Factory recorder = PostgresLlmRecorder.factory(config.postgres());
        return factory(settings, embedding, recorder);
    }

    public static TaggerFactory factory(LlmSettings settings, TaggerFactory embedding, LlmRecorder.Factory recorder) {
        return new Factory(settings, embedding, recorder);
    }

    private record Factory(LlmSettings settings, TaggerFactory embedding, LlmRecorder.Factory recorder)
            implements TaggerFactory {
        @Override
        public Tagger create(Taxonomy taxonomy) {
            return create(taxonomy, LlmListener.NONE);
        }

        @Override
        public Tagger create(Taxonomy taxonomy, LlmListener llm) {
            Tagger fallback = embedding.create(taxonomy);
            return new LlmTagger(taxonomy, settings, ChatModels.create(settings, System.getenv()), fallback,
                    label -> fallback instanceof EmbeddingTagger e ? e.closestTag(label, MAP_SIMILARITY) : Optional.empty(),
                    recorder.open(), llm, Thread::sleep, System::currentTimeMillis);
        }
    }
}
