package io.tagstream.udfs.tagging.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DimensionThresholdsTest {

    private static ExampleIndex.Item item(String id, float x, float y, String... tags) {
        return new ExampleIndex.Item(id, Vectors.unit(new float[] {x, y}), new TreeSet<>(List.of(tags)));
    }

    @Test
    void votesAreTheWeightShareOfTheNearestExamples() {
        List<ExampleIndex.Item> items = List.of(
                item("a", 1, 0, "red"), item("b", 1, 0.01f, "red", "round"), item("c", 0, 1, "blue"));
        Map<String, Double> votes = ExampleIndex.vote(Vectors.unit(new float[] {1, 0}), items, null, 2, 0.05);
        // The two nearest are a and b, almost equally near: red has all the weight, round about half.
        assertThat(votes).containsOnlyKeys("red", "round");
        assertThat(votes.get("red")).isEqualTo(1.0);
        assertThat(votes.get("round")).isBetween(0.49, 0.5);
    }

    @Test
    void leaveOneOutLearnsAThresholdPerDimensionWithEnoughPositives() {
        List<ExampleIndex.Item> items = new ArrayList<>();
        // Two clean clusters for dimension "colour"; "shape" tags are noise spread over both.
        for (int i = 0; i < 10; i++) {
            items.add(item("r" + i, 1, i * 0.01f, "colour:red", i % 3 == 0 ? "shape:round" : "colour:red"));
            items.add(item("b" + i, i * 0.01f, 1, "colour:blue"));
        }
        DimensionThresholds learned = DimensionThresholds.calibrate(items, t -> t.substring(0, t.indexOf(':')), 5, 0.05, 5);
        // colour is perfectly separable: every threshold up to 0.95 is as good, ties go to the highest.
        assertThat(learned.of("colour")).isEqualTo(0.95);
        // shape has only 4 positives (< 5): it uses the global threshold.
        assertThat(learned.byDimension()).containsOnlyKeys("colour");
        assertThat(learned.of("shape")).isEqualTo(learned.global());
    }

    @Test
    void withdrawnExamplesStopVoting() {
        ExampleIndex index = new ExampleIndex();
        index.apply(new TagExample(1, "t", "c1", "red", "m", new float[] {1, 0}, true));
        index.apply(new TagExample(2, "t", "c1", "round", "m", new float[] {1, 0}, true));
        index.apply(new TagExample(3, "t", "c1", "red", "m", new float[] {1, 0}, false));
        assertThat(index.knownTags()).containsExactly("round");
        index.apply(new TagExample(4, "t", "c1", "round", "m", new float[] {1, 0}, false));
        assertThat(index.size()).isZero();
    }
}
