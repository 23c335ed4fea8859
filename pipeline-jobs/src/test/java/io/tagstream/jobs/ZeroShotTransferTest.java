package io.tagstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.udfs.quality.MultiLabelScores;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Zero-shot on the small bundled taxonomies (the real BGE models), where a calibration fitted to 642 tags rarely fired. */
class ZeroShotTransferTest {
    private static final Path TAXONOMIES = Path.of("src/main/resources/taxonomy");
    private static final Path LABELLED = Path.of("src/test/resources/labelled");

    @Test
    void theLabelledSetsOfTheBundledTaxonomiesAreTaggedAndCovered() throws Exception {
        for (String[] set : new String[][] {{"sample-taxonomy.json", "sample-taxonomy-labelled.jsonl"},
                {"social-posts-zh.json", "social-posts-labelled.jsonl"}}) {
            Taxonomy taxonomy = TaxonomyFile.read(TAXONOMIES.resolve(set[0]));
            List<TaggingEval.Item> items = TaggingEval.read(LABELLED.resolve(set[1]));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            MultiLabelScores scores = TaggingEval.run(TagstreamConfig.of(Map.of()), taxonomy, items, List.of(),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(items.size()).isGreaterThanOrEqualTo(45);
            assertThat(scores.coverage()).as(set[1]).isGreaterThan(0.8);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("coverage (items with at least one tag): ");
        }
    }
}
