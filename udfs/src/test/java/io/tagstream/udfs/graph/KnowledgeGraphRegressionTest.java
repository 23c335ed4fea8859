package io.tagstream.udfs.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.udfs.content.TagVerdict;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cases where the graph once gave a wrong answer; each stays fixed. */
class KnowledgeGraphRegressionTest {
    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");
    private static final Taxonomy TAXONOMY = new Taxonomy("tx-test",
            List.of(new Dimension("tech", "Technology", null), new Dimension("tone", "Tone", null),
                    new Dimension("audience", "Audience", null)),
            List.of(new TaxonomyTag("kafka", "tech", "Apache Kafka", null, List.of("kfk")),
                    tag("old-kafka", "tech"), tag("flink", "tech"), tag("streaming", "tech"), tag("batch", "tech"),
                    tag("jvm", "tech"), tag("casual", "tone"), tag("beginner", "audience"), tag("banned", "audience"),
                    tag("adults", "audience")));
    private final TagCanonicalizer canonicalizer = new TagCanonicalizer(10);

    @Test
    void aTagTheTenantMayNotCarryWinsNoConflict() {
        KnowledgeGraph blocked = KnowledgeGraph.builder(TAXONOMY)
                .profile("banned", new TagProfile(TagStatus.BLOCKED, NsfwLevel.ALL_AGES, false))
                .conflict("banned", "beginner").build();
        KnowledgeGraph rated = KnowledgeGraph.builder(TAXONOMY)
                .profile("adults", new TagProfile(TagStatus.ACTIVE, NsfwLevel.R18, false))
                .conflict("adults", "beginner").build();

        CanonicalTags a = canonicalizer.canonicalize(blocked, "acme",
                List.of(llm("banned", 0.9), llm("beginner", 0.5), llm("kafka", 0.8), llm("casual", 0.5)), Map.of());
        CanonicalTags b = canonicalizer.canonicalize(rated, "acme",
                List.of(llm("adults", 0.9), llm("beginner", 0.5), llm("kafka", 0.8), llm("casual", 0.5)), Map.of());

        assertThat(a.kept()).extracting(TagAssignment::tag).containsExactly("beginner", "casual", "kafka");
        assertThat(a.qualityScore()).isEqualTo(100);
        assertThat(b.kept()).extracting(TagAssignment::tag).containsExactly("beginner", "casual", "kafka");
    }

    @Test
    void anImplicationIntoAMergedTagLeadsToItsTarget() throws Exception {
        KnowledgeGraph graph = apply(KnowledgeGraph.of(TAXONOMY),
                command(TaxonomyCommandType.ADD_IMPLICATION, "flink", "old-kafka", Map.of()),
                command(TaxonomyCommandType.MERGE, "old-kafka", "kafka", Map.of()));

        assertThat(graph.impliedBy("flink")).containsExactly("kafka");
        assertThat(canonicalizer.canonicalize(graph, "acme", List.of(llm("flink", 0.9)), Map.of()).kept())
                .extracting(TagAssignment::tag).containsExactly("flink", "kafka");
    }

    @Test
    void aVerdictOnAMergedTagHoldsForItsTarget() {
        KnowledgeGraph graph = KnowledgeGraph.builder(TAXONOMY).merged("old-kafka", "kafka").build();

        CanonicalTags pinned = canonicalizer.canonicalize(graph, "acme", List.of(llm("flink", 0.9)),
                Map.of("old-kafka", new TagVerdict(true, "ana", T0)));
        CanonicalTags rejected = canonicalizer.canonicalize(graph, "acme", List.of(llm("old-kafka", 0.9)),
                Map.of("old-kafka", new TagVerdict(false, "ana", T0)));

        assertThat(pinned.kept()).extracting(TagAssignment::tag).containsExactly("flink", "kafka");
        assertThat(rejected.kept()).isEmpty();
    }

    @Test
    void commandsThatWouldMakeATagImplyWhatItConflictsWithAreRefused() {
        KnowledgeGraph viaMerge = KnowledgeGraph.builder(TAXONOMY).implies("old-kafka", "batch").conflict("kafka", "batch").build();
        KnowledgeGraph viaChain = KnowledgeGraph.builder(TAXONOMY).implies("streaming", "jvm").conflict("flink", "jvm").build();

        assertThatThrownBy(() -> TaxonomyChange.apply(viaMerge, command(TaxonomyCommandType.MERGE, "old-kafka", "kafka", Map.of())))
                .isInstanceOf(InvalidCommandException.class)
                .hasMessage("MERGE refused: 'kafka' would carry both 'batch' and 'kafka', which conflict");
        assertThatThrownBy(() -> TaxonomyChange.apply(viaChain, command(TaxonomyCommandType.ADD_IMPLICATION, "flink", "streaming", Map.of())))
                .isInstanceOf(InvalidCommandException.class)
                .hasMessage("ADD_IMPLICATION refused: 'flink' would carry both 'flink' and 'jvm', which conflict");
    }

    @Test
    void newTagsAndNamesCannotTakeOverNamesInUse() {
        KnowledgeGraph graph = KnowledgeGraph.of(TAXONOMY);

        assertThatThrownBy(() -> TaxonomyChange.apply(graph, command(TaxonomyCommandType.ADD_TAG, "kfk", null,
                Map.of("dimension", "tech", "label", "Kfk thing"))))
                .hasMessage("'kfk' already names tag 'kafka'");
        assertThatThrownBy(() -> TaxonomyChange.apply(graph, command(TaxonomyCommandType.ADD_TAG, "rust", null,
                Map.of("dimension", "tech", "label", "Rust", "aliases", "kfk"))))
                .hasMessage("'kfk' already names tag 'kafka'");
        assertThatThrownBy(() -> TaxonomyChange.apply(graph, command(TaxonomyCommandType.RENAME, "flink", "apache kafka", Map.of())))
                .hasMessage("'apache kafka' already names tag 'kafka'");
        assertThatThrownBy(() -> TaxonomyChange.apply(graph, command(TaxonomyCommandType.UPDATE_TAG, "kafka", null,
                Map.of("broader", "cobol"))))
                .hasMessage("unknown tag 'cobol'");
    }

    @ParameterizedTest
    @EnumSource(KnowledgeGraphFile.Format.class)
    void mergesAndRenamesSurviveAnExportAndImport(KnowledgeGraphFile.Format format) throws Exception {
        KnowledgeGraph graph = apply(KnowledgeGraph.of(TAXONOMY),
                command(TaxonomyCommandType.MERGE, "old-kafka", "kafka", Map.of()),
                command(TaxonomyCommandType.RENAME, "flink", "apache-flink", Map.of()));

        KnowledgeGraph again = KnowledgeGraphFile.parse(KnowledgeGraphFile.write(graph, format), format, "export");

        assertThat(again.merges()).isEqualTo(Map.of("old-kafka", "kafka", "flink", "apache-flink"));
        assertThat(again.canonical("old-kafka").map(TaxonomyTag::id)).contains("kafka");
    }

    private static KnowledgeGraph apply(KnowledgeGraph graph, TaxonomyCommand... commands) throws Exception {
        for (TaxonomyCommand command : commands) {
            graph = TaxonomyChange.apply(graph, command);
        }
        return graph;
    }

    private static TaxonomyTag tag(String id, String dimension) {
        return new TaxonomyTag(id, dimension, id, null, List.of());
    }

    private static TagAssignment llm(String tag, double confidence) {
        return new TagAssignment(tag, "?", confidence, TagSource.LLM, "m", "saw " + tag);
    }

    private static TaxonomyCommand command(TaxonomyCommandType type, String tag, String target, Map<String, String> attributes) {
        return new TaxonomyCommand("c", type, null, tag, target, attributes, "curator", T0);
    }
}
