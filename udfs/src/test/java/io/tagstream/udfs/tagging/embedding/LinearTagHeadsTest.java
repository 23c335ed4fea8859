package io.tagstream.udfs.tagging.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LinearTagHeadsTest {

    private static ExampleIndex.Item item(String id, float[] v, String... tags) {
        return new ExampleIndex.Item(id, Vectors.unit(v), new TreeSet<>(List.of(tags)));
    }

    /** Tag a where the first coordinate is large, b where the second is; noise elsewhere. */
    private static List<ExampleIndex.Item> examples(int n, long seed) {
        Random random = new Random(seed);
        List<ExampleIndex.Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean a = random.nextBoolean();
            boolean b = random.nextBoolean();
            float[] v = {(a ? 1f : 0f) + 0.2f * (float) random.nextGaussian(), (b ? 1f : 0f) + 0.2f * (float) random.nextGaussian(),
                    0.3f * (float) random.nextGaussian(), 0.5f};
            List<String> tags = new ArrayList<>();
            if (a) {
                tags.add("t:a");
            }
            if (b) {
                tags.add("t:b");
            }
            items.add(item("c" + i, v, tags.toArray(String[]::new)));
        }
        return items;
    }

    @Test
    void separatesTagsALinearRuleDecides() {
        LinearTagHeads heads = LinearTagHeads.fit(examples(200, 1), 0.1);
        Map<String, Double> onlyA = heads.scores(Vectors.unit(new float[] {1f, 0f, 0f, 0.5f}));
        assertThat(onlyA.getOrDefault("t:a", 0.0)).isGreaterThan(0.7);
        assertThat(onlyA.getOrDefault("t:b", 0.0)).isLessThan(0.3);
        Map<String, Double> both = heads.scores(Vectors.unit(new float[] {1f, 1f, 0f, 0.5f}));
        assertThat(both.get("t:a")).isGreaterThan(0.6);
        assertThat(both.get("t:b")).isGreaterThan(0.6);
    }

    @Test
    void leaveOneOutScoresEqualARefitWithoutTheExample() {
        List<ExampleIndex.Item> items = examples(40, 7);
        LinearTagHeads heads = LinearTagHeads.fit(items, 0.5);
        for (int i : new int[] {0, 13, 39}) {
            List<ExampleIndex.Item> others = new ArrayList<>(items);
            ExampleIndex.Item left = others.remove(i);
            Map<String, Double> refit = LinearTagHeads.fit(others, 0.5).scores(left.vector());
            for (String tag : Set.of("t:a", "t:b")) {
                assertThat(heads.leaveOneOut().get(i).getOrDefault(tag, 0.0)).as("item %d, %s", i, tag)
                        .isCloseTo(Math.max(0, refit.getOrDefault(tag, 0.0)), offset(1e-6));
            }
        }
    }

    @Test
    void aContentWithOnlyRejectionsIsANegativeExample() {
        List<ExampleIndex.Item> items = new ArrayList<>(examples(60, 3));
        float[] v = Vectors.unit(new float[] {1f, 0f, 0f, 0.5f});
        double before = LinearTagHeads.fit(items, 0.1).scores(v).getOrDefault("t:a", 0.0);
        for (int i = 0; i < 20; i++) {
            items.add(new ExampleIndex.Item("r" + i, v, new TreeSet<>(), new TreeSet<>(Set.of("t:a"))));
        }
        double after = LinearTagHeads.fit(items, 0.1).scores(v).getOrDefault("t:a", 0.0);
        assertThat(after).isLessThan(before - 0.2);
    }

    @Test
    void invertsAMatrix() {
        double[][] m = {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}};
        double[][] inv = LinearTagHeads.invert(m);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += m[i][k] * inv[k][j];
                }
                assertThat(sum).isCloseTo(i == j ? 1 : 0, offset(1e-12));
            }
        }
    }
}
