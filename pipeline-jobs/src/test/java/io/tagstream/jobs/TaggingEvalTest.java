package io.tagstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.udfs.quality.MultiLabelScores;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code tagstream eval} on a fixture of 12 debtags items (cut from the dev set) and their tags. */
class TaggingEvalTest {
    private static final Path DIR = Path.of("src/test/resources/debtags");

    @Test
    void printsScoresBaselinesAndTheLastLine() throws Exception {
        Taxonomy taxonomy = TaxonomyFile.read(DIR.resolve("fixture-vocabulary.json"));
        List<TaggingEval.Item> items = TaggingEval.read(DIR.resolve("fixture.jsonl"));
        List<TaggingEval.Item> data = items.subList(6, 12);
        List<TaggingEval.Item> feedback = items.subList(0, 6);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MultiLabelScores scores = TaggingEval.run(TagstreamConfig.of(Map.of("tagging.tagger", "keyword")), taxonomy, data,
                feedback, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo(
                "taxonomy: 47 tags in 15 dimensions; evaluated items: 6; feedback items: 6; tagger: keyword");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("tagstream keyword (6 feedback items)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("baseline: most frequent tags (from F)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("baseline: cosine >= 0\\.\\d\\d \\(tuned on F\\).*"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(String.format(java.util.Locale.ROOT,
                "micro_f1=%.3f macro_f1=%.3f", scores.microF1(), scores.macroF1()));
        assertThat(scores.items()).isEqualTo(6);
    }

    @Test
    void theMostFrequentBaselinePredictsFsCommonestTags() throws Exception {
        List<TaggingEval.Item> stats = List.of(item("1", "a", "b"), item("2", "a", "c"), item("3", "a", "b"));
        List<TaggingEval.Item> data = List.of(item("4", "a"), item("5", "b", "c"));
        List<Set<String>> gold = new ArrayList<>();
        data.forEach(i -> gold.add(i.tags()));
        // n = round(6 / 3) = 2 tags: a and b; tp 1 + 1, predicted 4, gold 3
        MultiLabelScores s = TaggingEval.mostFrequent(stats, data, gold);
        assertThat(s.microF1()).isEqualTo(4.0 / 7);
        assertThat(s.predictedPerItem()).isEqualTo(2.0);
    }

    @Test
    void refusesToEvaluateItemsItWasFed() throws Exception {
        Taxonomy taxonomy = TaxonomyFile.read(DIR.resolve("fixture-vocabulary.json"));
        List<TaggingEval.Item> items = TaggingEval.read(DIR.resolve("fixture.jsonl"));
        assertThatThrownBy(() -> TaggingEval.run(TagstreamConfig.of(Map.of("tagging.tagger", "keyword")), taxonomy,
                items.subList(0, 3), items.subList(2, 5), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .hasMessage("item '" + items.get(2).id() + "' is both evaluated and fed back: keep them apart");
    }

    private static TaggingEval.Item item(String id, String... tags) {
        return new TaggingEval.Item(id, "t", "b", null, Set.of(tags));
    }
}
