package io.tagstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.KnowledgeGraphFile;
import io.tagstream.udfs.graph.NsfwLevel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The taxonomies shipped as examples load, with the relations they advertise. */
class ExampleTaxonomiesTest {
    private static final Path DIR = Path.of("src/main/resources/taxonomy");

    @Test
    void theChineseSocialPostsTaxonomyHasTheFiveDimensions() throws Exception {
        KnowledgeGraph graph = KnowledgeGraphFile.read(DIR.resolve("social-posts-zh.json"));

        assertThat(graph.taxonomy().dimensions()).extracting(d -> d.id())
                .containsExactly("content_type", "tone", "intent", "emotion", "audience");
        assertThat(graph.canonical("教程").orElseThrow().id()).isEqualTo("content_type::tutorial");
        assertThat(graph.impliedBy("content_type::tutorial")).containsExactly("intent::knowledge");
        assertThat(graph.conflict("audience::advanced", "audience::beginner")).isTrue();
        assertThat(graph.policy("brand-safe").strictConflicts()).isTrue();
    }

    @Test
    void theEnglishSoftwareTaxonomyCarriesRelationsRatingsAndPolicies() throws Exception {
        KnowledgeGraph graph = KnowledgeGraphFile.read(DIR.resolve("software-en.yaml"));

        assertThat(graph.canonical("golang").orElseThrow().id()).isEqualTo("language::go");
        assertThat(graph.impliedBy("domain::flink")).containsExactly("domain::streaming");
        assertThat(graph.conflict("license::proprietary", "license::open-source")).isTrue();
        assertThat(graph.profile("domain::exploits").nsfwLevel()).isEqualTo(NsfwLevel.R18);
        assertThat(graph.allowed("security-lab", "domain::exploits")).isTrue();
        assertThat(graph.allowed("acme", "domain::exploits")).isFalse();
        assertThat(graph.allowed("acme", "domain::malware")).isFalse();
        assertThat(graph.allowed("kids-academy", "domain::security")).isFalse();
    }

    @Test
    void theCreativeIdeasTaxonomyHasSevenDimensionsRelationsAndRatings() throws Exception {
        KnowledgeGraph graph = Taxonomies.resource("taxonomy/creative-ideas.yaml");

        assertThat(graph.taxonomy().dimensions()).extracting(d -> d.id())
                .containsExactly("character", "appearance", "clothing", "scene", "lighting", "mood", "style");
        assertThat(graph.canonical("精灵").orElseThrow().id()).isEqualTo("character::elf");
        assertThat(graph.canonical("white dress").orElseThrow().id()).isEqualTo("clothing::white-dress");
        assertThat(graph.impliedBy("character::elf")).containsExactly("appearance::pointy-ears");
        assertThat(graph.relatedTo("scene::forest")).contains("style::watercolor", "lighting::sunbeams");
        assertThat(graph.conflict("style::photorealistic", "style::anime")).isTrue();
        assertThat(graph.profile("character::loli").nsfwLevel()).isEqualTo(NsfwLevel.BLOCKED);
        assertThat(graph.allowed("art-studio", "clothing::nude")).isTrue();
        assertThat(graph.allowed("acme", "clothing::nude")).isFalse();
        assertThat(graph.allowed("kids-studio", "mood::melancholic")).isFalse();
    }
}
