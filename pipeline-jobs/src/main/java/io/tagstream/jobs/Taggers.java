package io.tagstream.jobs;

import io.tagstream.udfs.tagging.EnsembleTagger;
import io.tagstream.udfs.tagging.KeywordTagger;
import io.tagstream.udfs.tagging.TaggerFactory;
import io.tagstream.udfs.tagging.embedding.EmbeddingTagger;
import io.tagstream.udfs.tagging.embedding.EmbeddingTaggerSettings;
import io.tagstream.udfs.tagging.embedding.ExampleSource;
import io.tagstream.udfs.tagging.rules.RuleTagger;
import java.util.List;

/**
 * The tagger the configuration asks for ({@code tagging.tagger}):
 * {@code keyword} (labels and aliases only), {@code rules} (plus the taxonomy's keyword rules),
 * {@code embedding}, {@code ensemble} (embedding, labels and aliases, rules; the default) and
 * {@code llm} (the language model, falling back to the embedding tagger, with the same others).
 * The model-based ones keep tags of at least {@code tagging.min-confidence}.
 */
public final class Taggers {
    public static final List<String> NAMES = List.of("keyword", "rules", "embedding", "ensemble", "llm");

    private Taggers() {}

    public static TaggerFactory factory(TagstreamConfig config, ExampleSource examples) throws java.io.IOException {
        String name = config.get("tagging.tagger");
        return switch (name) {
            case "keyword" -> KeywordTagger.factory();
            case "rules" -> RuleTagger.withKeywords();
            case "embedding" -> EnsembleTagger.factory(List.of(EnsembleTagger.model(embedding(config, examples))), minConfidence(config));
            case "ensemble" -> withKeywordsAndRules(embedding(config, examples), minConfidence(config));
            case "llm" -> withKeywordsAndRules(LlmTaggers.factory(config, embedding(config, examples)), minConfidence(config));
            default -> throw new IllegalArgumentException(
                    "tagging.tagger must be one of " + NAMES + ", was '" + name + "'");
        };
    }

    /** The model source, label and alias matches (heuristic) and the taxonomy's rules. */
    private static TaggerFactory withKeywordsAndRules(TaggerFactory model, double minConfidence) {
        return EnsembleTagger.factory(List.of(EnsembleTagger.model(model),
                EnsembleTagger.heuristic(KeywordTagger.factory()), EnsembleTagger.authored(RuleTagger::new)), minConfidence);
    }

    private static double minConfidence(TagstreamConfig config) {
        return config.getDouble("tagging.min-confidence");
    }

    public static TaggerFactory embedding(TagstreamConfig config, ExampleSource examples) {
        return EmbeddingTagger.factory(embeddingSettings(config), examples);
    }

    public static EmbeddingTaggerSettings embeddingSettings(TagstreamConfig config) {
        return new EmbeddingTaggerSettings(
                config.get("tagging.embedding.model-en"),
                config.get("tagging.embedding.model-zh"),
                config.getInt("tagging.embedding.neighbours"),
                config.getDouble("tagging.embedding.temperature"),
                config.getDouble("tagging.embedding.zero-shot-min-z"),
                config.getDouble("tagging.embedding.unseen-tag-min-z"),
                config.getInt("tagging.embedding.min-examples"),
                config.getInt("tagging.embedding.min-positives"),
                config.getLong("tagging.examples.refresh-ms"),
                config.getDouble("tagging.embedding.heads-weight"),
                config.getDouble("tagging.embedding.ridge"),
                config.getDouble("tagging.embedding.similarity-prior"));
    }
}
