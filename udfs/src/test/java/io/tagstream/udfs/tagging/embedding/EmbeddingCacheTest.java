package io.tagstream.udfs.tagging.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {

    @Test
    void keepsVectorsAcrossOpensPerModelAndExactText(@TempDir Path dir) {
        Path file = dir.resolve("cache.tsv");
        EmbeddingCache cache = EmbeddingCache.open(file);
        cache.putAll("m1", List.of("a\ttab\nline \\ slash", "b"), List.of(new float[] {1f, -0.5f}, new float[] {0.25f, 2f}));
        EmbeddingCache reopened = EmbeddingCache.open(file);
        assertThat(reopened.size()).isEqualTo(2);
        assertThat(reopened.get("m1", "a\ttab\nline \\ slash")).containsExactly(1f, -0.5f);
        assertThat(reopened.get("m1", "b")).containsExactly(0.25f, 2f);
        assertThat(reopened.get("m2", "b")).isNull();
        assertThat(reopened.get("m1", "B")).isNull();
    }
}
