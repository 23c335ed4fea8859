package io.tagstream.udfs.tagging.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real BGE models (loaded once for this JVM by {@link EmbeddingModels}). */
class EmbeddingTaggerTest {
    private static final String TAXONOMY = """
            [{"kind": "dimension", "id": "topic", "label": "Topic"},
             {"kind": "tag", "id": "topic::cooking", "dimension": "topic", "label": "Cooking", "description": "recipes, food, kitchen", "aliases": ["烹飪"]},
             {"kind": "tag", "id": "topic::databases", "dimension": "topic", "label": "Databases", "description": "SQL, storage engines, queries"},
             {"kind": "tag", "id": "topic::games", "dimension": "topic", "label": "Games", "description": "video games and playing"},
             {"kind": "tag", "id": "topic::music", "dimension": "topic", "label": "Music", "description": "songs, audio, instruments"},
             {"kind": "tag", "id": "topic::gardening", "dimension": "topic", "label": "Gardening", "description": "plants, soil, flowers"}]
            """;

    private static Taxonomy taxonomy() throws Exception {
        return TaxonomyFile.parse(TAXONOMY.getBytes(StandardCharsets.UTF_8), "test");
    }

    private static TaggingRequest request(String id, String title, String body, String lang) {
        return new TaggingRequest("acme", id, title, body, lang);
    }

    @Test
    void zeroShotProposesTheTagWhoseTextIsClosestWithABandedConfidence() throws Exception {
        EmbeddingTaggerSettings settings = new EmbeddingTaggerSettings(EmbeddingModels.BGE_SMALL_EN,
                EmbeddingModels.BGE_SMALL_ZH, 20, 0.05, 1.5, 4.0, 30, 20, 0);
        EmbeddingTagger tagger = new EmbeddingTagger(taxonomy(), settings, ExampleSource.none().open());
        List<List<TagAssignment>> results = tagger.tagAll(List.of(
                request("c1", "Slow-roasted tomato pasta", "A recipe for dinner: simmer the sauce in the kitchen.", null),
                request("c2", "Tuning PostgreSQL indexes", "Make your SQL queries faster.", null),
                request("c3", "紅燒肉的做法", "廚房裡的家常菜食譜", null)));

        assertThat(results.get(0)).map(TagAssignment::tag).containsExactly("topic::cooking");
        assertThat(results.get(1)).map(TagAssignment::tag).containsExactly("topic::databases");
        assertThat(results.get(2)).map(TagAssignment::tag).containsExactly("topic::cooking");
        TagAssignment cooking = results.get(0).get(0);
        assertThat(cooking.source()).isEqualTo(TagSource.EMBEDDING);
        assertThat(cooking.model()).isEqualTo(EmbeddingModels.BGE_SMALL_EN);
        assertThat(cooking.confidence()).isGreaterThanOrEqualTo(0.3166).isLessThan(EmbeddingTagger.ZERO_SHOT_CEILING); // z ≥ 1.5
        assertThat(cooking.reason()).startsWith("similar to the tag's description (cosine ");
        assertThat(results.get(2).get(0).model()).isEqualTo(EmbeddingModels.BGE_SMALL_ZH);
    }

    @ParameterizedTest
    @CsvSource({"-1.0, 0.0", "0.0, 0.0", "1.0, 0.2361", "3.0, 0.4661", "4.0, 0.5188", "20.0, 0.6"})
    void zeroShotConfidenceRisesWithZAndStaysInTheLowBand(double z, double confidence) {
        assertThat(EmbeddingTagger.zeroShotConfidence(z)).isCloseTo(confidence, offset(0.0001));
    }

    @Test
    void aBlankTextGetsNoTagAndDoesNotSpoilItsBatch() throws Exception {
        EmbeddingTaggerSettings settings = new EmbeddingTaggerSettings(EmbeddingModels.BGE_SMALL_EN,
                EmbeddingModels.BGE_SMALL_ZH, 20, 0.05, 1.5, 4.0, 30, 20, 0);
        EmbeddingTagger tagger = new EmbeddingTagger(taxonomy(), settings, ExampleSource.none().open());
        List<List<TagAssignment>> results = tagger.tagAll(List.of(
                request("c1", " ", "\n", null),
                request("c2", "Tuning PostgreSQL indexes", "Make your SQL queries faster.", null)));

        assertThat(results.get(0)).isEmpty();
        assertThat(results.get(1)).map(TagAssignment::tag).containsExactly("topic::databases");
        assertThat(EmbeddingModels.embedAll(EmbeddingModels.BGE_SMALL_EN, java.util.Arrays.asList("", null, "SQL")))
                .satisfiesExactly(
                        blank -> assertThat(blank).hasSize(384).containsOnly(0f),
                        none -> assertThat(none).hasSize(384).containsOnly(0f),
                        text -> assertThat(Vectors.dot(text, text)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5)));
    }

    @Test
    void confirmedExamplesAreUsedAtOnceAndOverruleTheTagTexts() throws Exception {
        // Examples teach that texts about chess engines are "games", with learned thresholds.
        List<TagExample> examples = new ArrayList<>();
        String[] games = {"Stockfish chess engine", "Play chess against the computer", "Chess opening trainer",
                "Go board game client", "Sudoku puzzle generator", "Solitaire card game", "Tetris clone for the terminal",
                "Minesweeper with hints", "Checkers AI", "Crossword puzzle maker"};
        String[] databases = {"Redis key value store", "SQLite browser", "MySQL client", "PostgreSQL backup tool",
                "MongoDB shell", "Cassandra driver", "Index advisor for SQL", "Query planner visualiser",
                "Database migration tool", "Time series database"};
        List<String> texts = new ArrayList<>(List.of(games));
        texts.addAll(List.of(databases));
        List<float[]> vectors = EmbeddingModels.embedAll(EmbeddingModels.BGE_SMALL_EN, texts);
        for (int i = 0; i < texts.size(); i++) {
            examples.add(new TagExample(i + 1, "acme", "ex" + i, i < games.length ? "topic::games" : "topic::databases",
                    EmbeddingModels.BGE_SMALL_EN, vectors.get(i), true));
        }
        List<TagExample> fed = List.copyOf(examples);
        EmbeddingTaggerSettings settings = new EmbeddingTaggerSettings(EmbeddingModels.BGE_SMALL_EN,
                EmbeddingModels.BGE_SMALL_ZH, 5, 0.05, 2.5, 4.0, 10, 5, 0);
        EmbeddingTagger tagger = new EmbeddingTagger(taxonomy(), settings,
                revision -> fed.stream().filter(e -> e.revision() > revision).toList());

        List<TagAssignment> tags = tagger.tag(request("c9", "Chess endgame tablebase", "", null));
        assertThat(tags).map(TagAssignment::tag).contains("topic::games").doesNotContain("topic::databases");
        TagAssignment games0 = tags.stream().filter(t -> t.tag().equals("topic::games")).findFirst().orElseThrow();
        assertThat(games0.model()).isEqualTo(EmbeddingModels.BGE_SMALL_EN + "+knn");
        assertThat(games0.reason()).startsWith("nearest confirmed examples vote ");
        assertThat(tagger.thresholds(EmbeddingModels.BGE_SMALL_EN, "acme")).containsKeys("topic", "*");
        // Another tenant's examples are not used.
        assertThat(tagger.tag(new TaggingRequest("other", "c9", "Chess endgame tablebase", "", null)))
                .allSatisfy(t -> assertThat(t.model()).isEqualTo(EmbeddingModels.BGE_SMALL_EN));
    }
}
