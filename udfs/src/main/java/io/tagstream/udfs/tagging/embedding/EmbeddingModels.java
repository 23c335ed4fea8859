package io.tagstream.udfs.tagging.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15.BgeSmallZhV15EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process ONNX embedding models, loaded once per JVM (so once per TaskManager, shared by
 * its slots) on first use and never per record: loading one takes seconds and ~130 MB.
 * ONNX Runtime sessions are thread-safe, so every task of the JVM uses the same instance.
 */
public final class EmbeddingModels {
    public static final String BGE_SMALL_EN = "bge-small-en-v15";
    public static final String BGE_SMALL_ZH = "bge-small-zh-v15";

    private static final Map<String, EmbeddingModel> LOADED = new ConcurrentHashMap<>();
    private static volatile EmbeddingCache cache;

    private EmbeddingModels() {}

    /** Offline tools only: reuse (and keep) embeddings of texts already embedded; null turns it off. */
    public static void useCache(EmbeddingCache embeddings) {
        cache = embeddings;
    }

    public static EmbeddingModel named(String name) {
        return LOADED.computeIfAbsent(name, EmbeddingModels::load);
    }

    private static EmbeddingModel load(String name) {
        return switch (name) {
            case BGE_SMALL_EN -> new BgeSmallEnV15EmbeddingModel();
            case BGE_SMALL_ZH -> new BgeSmallZhV15EmbeddingModel();
            default -> throw new IllegalArgumentException(
                    "unknown embedding model '" + name + "' (" + BGE_SMALL_EN + " or " + BGE_SMALL_ZH + ")");
        };
    }

    /**
     * Unit-length embeddings of {@code texts} in one {@code embedAll} call (a micro-batch). A
     * blank text, which the model refuses, gets the zero vector: similar to nothing, so it is
     * given no tag, and the texts beside it in the batch are still embedded.
     */
    public static List<float[]> embedAll(String model, List<String> texts) {
        EmbeddingCache known = cache;
        if (known == null) {
            return compute(model, texts);
        }
        List<String> missing = new ArrayList<>();
        for (String text : texts) {
            if (text != null && !text.isBlank() && known.get(model, text) == null && !missing.contains(text)) {
                missing.add(text);
            }
        }
        if (!missing.isEmpty()) {
            known.putAll(model, missing, compute(model, missing));
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(text == null || text.isBlank() ? new float[named(model).dimension()] : known.get(model, text));
        }
        return vectors;
    }

    private static List<float[]> compute(String model, List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            if (text != null && !text.isBlank()) {
                segments.add(TextSegment.from(text));
            }
        }
        EmbeddingModel embeddings = named(model);
        List<Embedding> embedded = segments.isEmpty() ? List.of() : embeddings.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(texts.size());
        int next = 0;
        for (String text : texts) {
            vectors.add(text == null || text.isBlank()
                    ? new float[embeddings.dimension()]
                    : Vectors.unit(embedded.get(next++).vector()));
        }
        return vectors;
    }

    /**
     * Chinese text goes to the Chinese model: when the content declares a {@code zh*} language,
     * or, declaring none, when at least a fifth of its letters are Han characters.
     */
    public static boolean isChinese(String lang, String text) {
        if (lang != null && !lang.isBlank()) {
            return lang.toLowerCase(java.util.Locale.ROOT).startsWith("zh");
        }
        int letters = 0;
        int han = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                    han++;
                }
            }
        }
        return letters > 0 && han * 5 >= letters;
    }
}
