package io.tagstream.udfs.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaxonomyTest {

    private final Taxonomy taxonomy = taxonomy(
            tag("kafka", "tech", "Apache Kafka", "Kafka", "卡夫卡"),
            tag("stream-processing", "tech", "Stream Processing", "流處理"),
            tag("upbeat", "tone", "Upbeat"));

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource({
        "kafka, kafka",                          // id
        "Apache Kafka, kafka",                   // label
        "Kafka, kafka",                          // alias
        "卡夫卡, kafka",                          // non-Latin alias
        "APACHE KAFKA, kafka",                   // case
        "ＫＡＦＫＡ, kafka",                        // full width → NFKC
        "ａｐａｃｈｅ　ｋａｆｋａ, kafka",             // full-width letters and ideographic space
        "'  kafka  ', kafka",                    // surrounding blanks
        "STREAM-PROCESSING, stream-processing",  // id, any case
        "流處理, stream-processing",
        "upBEAT, upbeat"
    })
    void resolvesIdsLabelsAndAliasesIgnoringCaseAndWidth(String surfaceForm, String id) {
        assertThat(taxonomy.resolve(surfaceForm)).map(TaxonomyTag::id).contains(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"flink", "kafk", "apache", "stream processing engine", ""})
    void resolvesNothingElse(String surfaceForm) {
        assertThat(taxonomy.resolve(surfaceForm)).isEmpty();
    }

    @Test
    void resolvesToTheWholeTag() {
        assertThat(taxonomy.resolve("卡夫卡"))
                .contains(new TaxonomyTag("kafka", "tech", "Apache Kafka", null, List.of("Kafka", "卡夫卡")));
    }

    @Test
    void idsWinOverLabelsAndLabelsOverAliasesOfOtherTags() {
        Taxonomy clash = taxonomy(
                tag("java", "lang", "Java Language", "coffee"),
                tag("coffee-drink", "food", "Java", "coffee", "java"),
                tag("espresso", "food", "Coffee"));

        assertThat(clash.resolve("java")).map(TaxonomyTag::id).contains("java");
        assertThat(clash.resolve("coffee")).map(TaxonomyTag::id).contains("espresso");
        assertThat(clash.resolve("java language")).map(TaxonomyTag::id).contains("java");
    }

    @Test
    void theFirstTagKeepsAnAliasSharedWithALaterOne() {
        Taxonomy shared = taxonomy(tag("a", "d", "A", "common"), tag("b", "d", "B", "common"));

        assertThat(shared.resolve("common")).map(TaxonomyTag::id).contains("a");
    }

    @Test
    void looksTagsUpByExactIdOnly() {
        assertThat(taxonomy.tag("kafka")).map(TaxonomyTag::label).contains("Apache Kafka");
        assertThat(taxonomy.tag("KAFKA")).isEmpty();
        assertThat(taxonomy.tag("Apache Kafka")).isEmpty();
    }

    @Test
    void keepsDimensionsAndTagsInDefinitionOrder() {
        assertThat(taxonomy.dimensions()).extracting(Dimension::id).containsExactly("tech", "tone");
        assertThat(taxonomy.tags()).extracting(TaxonomyTag::id).containsExactly("kafka", "stream-processing", "upbeat");
        assertThat(taxonomy.version()).isEqualTo("tx-test");
    }

    @Test
    void exposesNoWayToChangeIt() {
        assertThatThrownBy(() -> taxonomy.tags().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> taxonomy.dimensions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsATagOfAnUndefinedDimension() {
        assertThatThrownBy(() -> new Taxonomy("v", List.of(dimension("tech")), List.of(tag("x", "nope", "X"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tag 'x' names dimension 'nope', which is not defined");
    }

    @Test
    void rejectsDuplicates() {
        assertThatThrownBy(() -> new Taxonomy("v", List.of(dimension("d"), dimension("d")), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimension 'd' is defined twice");
        assertThatThrownBy(() -> new Taxonomy("v", List.of(dimension("d")), List.of(tag("x", "d", "X"), tag("x", "d", "Y"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tag 'x' is defined twice");
    }

    @ParameterizedTest(name = "normalize(\"{0}\") = \"{1}\"")
    @CsvSource({
        "ＡＢＣ１２３, abc123",
        "'  Apache Kafka ', apache kafka",
        "流處理, 流處理",
        "ｶﾌｶ, カフカ",         // half-width katakana → full width
        "ﬁle, file"            // ligature
    })
    void normalizesWithNfkcLowerCaseAndTrim(String text, String normalized) {
        assertThat(Taxonomy.normalize(text)).isEqualTo(normalized);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(taxonomy);
        }
        Taxonomy copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Taxonomy) in.readObject();
        }

        assertThat(copy.version()).isEqualTo(taxonomy.version());
        assertThat(copy.tags()).containsExactlyElementsOf(taxonomy.tags());
        assertThat(copy.resolve("ＫＡＦＫＡ")).map(TaxonomyTag::id).isEqualTo(Optional.of("kafka"));
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A taxonomy with one dimension per distinct dimension id of the tags. */
    static Taxonomy taxonomy(TaxonomyTag... tags) {
        List<Dimension> dimensions = java.util.Arrays.stream(tags).map(TaxonomyTag::dimension).distinct()
                .map(TaxonomyTest::dimension).toList();
        return new Taxonomy("tx-test", dimensions, List.of(tags));
    }

    static TaxonomyTag tag(String id, String dimension, String label, String... aliases) {
        return new TaxonomyTag(id, dimension, label, null, List.of(aliases));
    }

    static Dimension dimension(String id) {
        return new Dimension(id, id, null);
    }
}
