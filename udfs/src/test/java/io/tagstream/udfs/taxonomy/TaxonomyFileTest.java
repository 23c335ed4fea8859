package io.tagstream.udfs.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaxonomyFileTest {

    private static final String ORIGIN = "test.json";
    private static final String TAXONOMY = """
            [
              {"kind": "dimension", "id": "tech", "label": "Technology", "description": "Software and systems"},
              {"kind": "dimension", "id": "tone", "label": "Tone"},
              {"kind": "tag", "id": "kafka", "dimension": "tech", "label": "Apache Kafka",
               "description": "A distributed log", "aliases": ["Kafka", "卡夫卡"]},
              {"kind": "tag", "id": "flink", "dimension": "tech", "label": "Apache Flink"},
              {"kind": "tag", "id": "upbeat", "dimension": "tone", "label": "Upbeat", "aliases": null}
            ]
            """;

    @Test
    void readsDimensionsAndTagsWithTheirAliases() throws IOException {
        Taxonomy taxonomy = parse(TAXONOMY);

        assertThat(taxonomy.dimensions()).containsExactly(
                new Dimension("tech", "Technology", "Software and systems"),
                new Dimension("tone", "Tone", null));
        assertThat(taxonomy.tags()).containsExactly(
                new TaxonomyTag("kafka", "tech", "Apache Kafka", "A distributed log", List.of("Kafka", "卡夫卡")),
                new TaxonomyTag("flink", "tech", "Apache Flink", null, List.of()),
                new TaxonomyTag("upbeat", "tone", "Upbeat", null, List.of()));
        assertThat(taxonomy.resolve("卡夫卡")).map(TaxonomyTag::id).contains("kafka");
    }

    @Test
    void readsTheDebtagsSpelling() throws IOException {
        Taxonomy taxonomy = parse("""
                [
                  {"kind": "facet", "id": "devel", "label": "Software Development"},
                  {"kind": "tag", "id": "devel::lang:java", "facet": "devel", "label": "Java"}
                ]
                """);

        assertThat(taxonomy.dimensions()).containsExactly(new Dimension("devel", "Software Development", null));
        assertThat(taxonomy.tag("devel::lang:java"))
                .contains(new TaxonomyTag("devel::lang:java", "devel", "Java", null, List.of()));
    }

    @Test
    void letsDimensionWinOverFacetAndAcceptsTagsBeforeTheirDimension() throws IOException {
        Taxonomy taxonomy = parse("""
                [
                  {"kind": "tag", "id": "java", "dimension": "lang", "facet": "other", "label": "Java"},
                  {"kind": "dimension", "id": "lang", "label": "Language"}
                ]
                """);

        assertThat(taxonomy.tag("java")).map(TaxonomyTag::dimension).contains("lang");
    }

    @Test
    void versionIsADigestOfTheBytes() throws Exception {
        byte[] bytes = utf8(TAXONOMY);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        String version = TaxonomyFile.parse(bytes, ORIGIN).version();

        assertThat(version).matches("tx-[0-9a-f]{12}").isEqualTo("tx-" + sha256.substring(0, 12));
    }

    @Test
    void versionIsStableForTheSameBytesWhateverTheOrigin() throws IOException {
        assertThat(TaxonomyFile.parse(utf8(TAXONOMY), "a.json").version())
                .isEqualTo(TaxonomyFile.parse(utf8(TAXONOMY), "b.json").version());
    }

    @Test
    void versionChangesWithAnyByte() throws IOException {
        String original = parse(TAXONOMY).version();

        assertThat(parse(TAXONOMY + "\n").version()).startsWith("tx-").isNotEqualTo(original);
        assertThat(parse(TAXONOMY.replace("Upbeat", "Cheerful")).version()).isNotEqualTo(original);
    }

    @Test
    void readsFromAFileAndAStreamLikeFromBytes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("taxonomy.json");
        Files.writeString(file, TAXONOMY, StandardCharsets.UTF_8);
        Taxonomy fromBytes = parse(TAXONOMY);

        Taxonomy fromFile = TaxonomyFile.read(file);
        Taxonomy fromStream = TaxonomyFile.read(new ByteArrayInputStream(utf8(TAXONOMY)), ORIGIN);

        assertThat(fromFile.version()).isEqualTo(fromBytes.version());
        assertThat(fromStream.version()).isEqualTo(fromBytes.version());
        assertThat(fromFile.tags()).containsExactlyElementsOf(fromBytes.tags());
    }

    @Test
    void namesTheFileInErrorsReadFromAPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{}");

        assertThatThrownBy(() -> TaxonomyFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage("taxonomy " + file + " must be a JSON array of dimension and tag entries");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown kind         | [{"kind": "category", "id": "x", "label": "X"}]                                 | test.json entry 0: unknown kind 'category' (dimension, tag, rule or policy)
            missing kind         | [{"id": "x", "label": "X"}]                                                     | test.json entry 0: field 'kind' is required and must be a string
            entry not an object  | ["tech"]                                                                        | test.json entry 0: field 'kind' is required and must be a string
            missing label        | [{"kind": "dimension", "id": "tech", "label": "T"}, {"kind": "tag", "id": "k", "dimension": "tech"}] | test.json entry 1: field 'label' is required and must be a string
            blank label          | [{"kind": "dimension", "id": "tech", "label": " "}]                             | test.json entry 0: field 'label' is required and must be a string
            numeric id           | [{"kind": "dimension", "id": 7, "label": "T"}]                                  | test.json entry 0: field 'id' is required and must be a string
            tag without dimension | [{"kind": "tag", "id": "k", "label": "K"}]                                     | test.json entry 0: field 'dimension' is required and must be a string
            aliases not an array | [{"kind": "dimension", "id": "t", "label": "T"}, {"kind": "tag", "id": "k", "dimension": "t", "label": "K", "aliases": "kafka"}] | test.json entry 1: field 'aliases' must be an array of strings
            blank alias          | [{"kind": "dimension", "id": "t", "label": "T"}, {"kind": "tag", "id": "k", "dimension": "t", "label": "K", "aliases": [""]}]    | test.json entry 1: field 'aliases' must hold non-blank strings
            undefined dimension  | [{"kind": "dimension", "id": "t", "label": "T"}, {"kind": "tag", "id": "kafka", "dimension": "nope", "label": "K"}] | taxonomy test.json: tag 'kafka' names dimension 'nope', which is not defined
            duplicate tag id     | [{"kind": "dimension", "id": "t", "label": "T"}, {"kind": "tag", "id": "kafka", "dimension": "t", "label": "K"}, {"kind": "tag", "id": "kafka", "dimension": "t", "label": "K2"}] | taxonomy test.json: tag 'kafka' is defined twice
            duplicate dimension  | [{"kind": "dimension", "id": "t", "label": "T"}, {"kind": "facet", "id": "t", "label": "T2"}] | taxonomy test.json: dimension 't' is defined twice
            not an array         | {"kind": "dimension", "id": "t", "label": "T"}                                  | taxonomy test.json must be a JSON array of dimension and tag entries
            empty file           | ''                                                                              | taxonomy test.json must be a JSON array of dimension and tag entries
            """)
    void rejectsInvalidTaxonomies(String description, String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(IOException.class).hasMessage(message);
    }

    @Test
    void rejectsInvalidJsonWithTheParserMessage() {
        assertThatThrownBy(() -> parse("[{\"kind\": \"dimension\","))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("taxonomy test.json is not valid JSON: Unexpected end-of-input")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void acceptsAnEmptyArray() throws IOException {
        Taxonomy taxonomy = parse("[]");

        assertThat(taxonomy.dimensions()).isEmpty();
        assertThat(taxonomy.tags()).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Taxonomy parse(String json) throws IOException {
        return TaxonomyFile.parse(utf8(json), ORIGIN);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
