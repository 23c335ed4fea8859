package io.tagstream.udfs.tagging.embedding;

import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tag of a taxonomy as one embedded text, per model: the dimension's label, the tag's
 * label, description and aliases, phrased as a retrieval query the way BGE models expect.
 * Computed once per JVM for each (model, taxonomy version).
 */
final class TagProfiles {
    private static final Map<String, TagProfiles> CACHE = new ConcurrentHashMap<>();

    /** BGE's own query instructions: tags are the queries, contents the passages. */
    private static final String EN_INSTRUCTION = "Represent this sentence for searching relevant passages: ";
    private static final String ZH_INSTRUCTION = "为这个句子生成表示以用于检索相关文章：";

    final List<TaxonomyTag> tags;
    final float[][] vectors;
    final List<String> dimensions;

    private TagProfiles(List<TaxonomyTag> tags, float[][] vectors) {
        this.tags = tags;
        this.vectors = vectors;
        this.dimensions = tags.stream().map(TaxonomyTag::dimension).toList();
    }

    static TagProfiles of(Taxonomy taxonomy, String model) {
        return CACHE.computeIfAbsent(model + "@" + taxonomy.version(), key -> build(taxonomy, model));
    }

    private static TagProfiles build(Taxonomy taxonomy, String model) {
        List<TaxonomyTag> tags = new ArrayList<>(taxonomy.tags());
        List<String> texts = new ArrayList<>();
        String instruction = model.equals(EmbeddingModels.BGE_SMALL_ZH) ? ZH_INSTRUCTION : EN_INSTRUCTION;
        for (TaxonomyTag tag : tags) {
            texts.add(instruction + text(taxonomy, tag));
        }
        List<float[]> vectors = texts.isEmpty() ? List.of() : EmbeddingModels.embedAll(model, texts);
        return new TagProfiles(tags, vectors.toArray(float[][]::new));
    }

    static String text(Taxonomy taxonomy, TaxonomyTag tag) {
        StringBuilder text = new StringBuilder();
        taxonomy.dimensions().stream().filter(d -> d.id().equals(tag.dimension())).findFirst()
                .map(Dimension::label).ifPresent(label -> text.append(label).append(": "));
        text.append(tag.label());
        if (tag.description() != null && !tag.description().isBlank()) {
            text.append(". ").append(tag.description().strip());
        }
        if (!tag.aliases().isEmpty()) {
            text.append(". Also: ").append(String.join(", ", tag.aliases()));
        }
        return text.toString();
    }
}
