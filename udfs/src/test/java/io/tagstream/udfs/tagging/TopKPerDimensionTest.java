package io.tagstream.udfs.tagging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.schemas.TagSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopKPerDimensionTest {

    @Test
    void keepsTheKMostConfidentTagsOfEachDimension() {
        List<TagAssignment> tags = List.of(
                tag("a", "tech", 0.3), tag("b", "tech", 0.9), tag("c", "tech", 0.6),
                tag("x", "tone", 0.2), tag("y", "tone", 0.8), tag("z", "tone", 0.5));

        assertThat(ids(TopKPerDimension.select(tags, 2))).containsExactly("b", "y", "c", "z");
    }

    @Test
    void keepsEverythingWhenADimensionHasNoMoreThanK() {
        List<TagAssignment> tags = List.of(tag("a", "tech", 0.3), tag("x", "tone", 0.2));

        assertThat(ids(TopKPerDimension.select(tags, 3))).containsExactly("a", "x");
    }

    @Test
    void breaksTiesByTagId() {
        List<TagAssignment> tags = List.of(
                tag("delta", "tech", 0.5), tag("alpha", "tech", 0.5), tag("charlie", "tech", 0.5),
                tag("bravo", "tech", 0.5));

        assertThat(ids(TopKPerDimension.select(tags, 2))).containsExactly("alpha", "bravo");
    }

    @Test
    void theResultDoesNotDependOnInputOrder() {
        List<TagAssignment> tags = new ArrayList<>(List.of(
                tag("b", "tech", 0.5), tag("a", "tech", 0.5), tag("c", "tech", 0.7), tag("d", "tone", 0.1)));
        List<TagAssignment> reversed = new ArrayList<>(tags);
        java.util.Collections.reverse(reversed);

        assertThat(TopKPerDimension.select(reversed, 2)).isEqualTo(TopKPerDimension.select(tags, 2));
    }

    @Test
    void groupsTagsWithoutDimensionTogether() {
        List<TagAssignment> tags = List.of(tag("a", null, 0.9), tag("b", null, 0.8), tag("c", "", 0.7));

        assertThat(ids(TopKPerDimension.select(tags, 2))).containsExactly("a", "b");
    }

    @Test
    void leavesItsInputAlone() {
        List<TagAssignment> tags = new ArrayList<>(List.of(tag("a", "tech", 0.1), tag("b", "tech", 0.9)));

        TopKPerDimension.select(tags, 1);

        assertThat(ids(tags)).containsExactly("a", "b");
    }

    @Test
    void selectsNothingFromNothing() {
        assertThat(TopKPerDimension.select(List.of(), 3)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void rejectsANonPositiveK(int k) {
        assertThatThrownBy(() -> TopKPerDimension.select(List.of(tag("a", "tech", 0.5)), k))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k must be positive, was " + k);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static TagAssignment tag(String id, String dimension, double confidence) {
        return new TagAssignment(id, dimension, confidence, TagSource.RULE, "test", "because");
    }

    private static List<String> ids(List<TagAssignment> tags) {
        return tags.stream().map(TagAssignment::tag).toList();
    }
}
