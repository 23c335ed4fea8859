package io.tagstream.udfs.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeywordTaggerTest {

    private static final Taxonomy TAXONOMY = new Taxonomy("tx-test",
            List.of(new Dimension("tech", "Technology", null), new Dimension("lang", "Language", null)),
            List.of(
                    taxonomyTag("kafka", "tech", "Kafka", "kafka", "卡夫卡"),
                    taxonomyTag("flink", "tech", "Apache Flink", "Flink"),
                    taxonomyTag("stream-processing", "tech", "Stream Processing", "流處理"),
                    taxonomyTag("java", "lang", "Java")));

    private final KeywordTagger tagger = new KeywordTagger(TAXONOMY);

    @Test
    void oneTitleOccurrenceIsMediumConfidence() {
        assertThat(tag("Kafka in production", null)).containsExactly(
                new TagAssignment("kafka", "tech", 0.6, TagSource.RULE, "keyword-matcher/1",
                        "matched \"kafka\" in title"));
    }

    @Test
    void aTitleOccurrenceConfirmedInTheBodyAddsUp() {
        TagAssignment kafka = only(tag("Kafka", "We run kafka."));

        assertThat(kafka.confidence()).isEqualTo(0.72);
        assertThat(kafka.reason()).isEqualTo("matched \"kafka\" in title; \"kafka\" in body");
    }

    @Test
    void oneBodyOccurrenceIsLowConfidence() {
        TagAssignment kafka = only(tag(null, "We run Kafka."));

        assertThat(kafka.confidence()).isEqualTo(0.3);
        assertThat(kafka.reason()).isEqualTo("matched \"kafka\" in body");
    }

    @ParameterizedTest(name = "{0} body and {1} title occurrences → {2}")
    @CsvSource({
        "1, 0, 0.3",
        "2, 0, 0.51",
        "3, 0, 0.657",
        "4, 0, 0.657",
        "9, 0, 0.657",
        "0, 1, 0.6",
        "0, 2, 0.84",
        "0, 3, 0.936",
        "0, 4, 0.936",
        "1, 1, 0.72",
        "3, 3, 0.978",
        "5, 5, 0.978"
    })
    void combinesOccurrencesAsNoisyOrCountingAtMostThreePerField(int body, int title, double confidence) {
        TagAssignment kafka = only(tag(repeat("kafka", title), repeat("kafka", body)));

        assertThat(kafka.confidence()).isEqualTo(confidence);
    }

    @Test
    void fourBodyOccurrencesCountLikeThreeButAreAllReported() {
        TagAssignment three = only(tag(null, repeat("kafka", 3)));
        TagAssignment four = only(tag(null, repeat("kafka", 4)));

        assertThat(four.confidence()).isEqualTo(three.confidence()).isEqualTo(0.657);
        assertThat(four.reason()).isEqualTo("matched \"kafka\" ×4 in body");
    }

    @Test
    void aLabelRepeatedAsAnAliasCountsOnce() {
        // "Kafka" is both the label and (after normalisation) the alias "kafka".
        assertThat(only(tag("Kafka", null)).confidence()).isEqualTo(0.6);
    }

    @Test
    void aTermInsideALongerTermOfTheSameTagCountsOnce() {
        TagAssignment flink = only(tag(null, "Built on Apache Flink."));

        assertThat(flink.confidence()).isEqualTo(0.3);
        assertThat(flink.reason()).isEqualTo("matched \"apache flink\" in body");
    }

    @Test
    void theShorterTermStillCountsWhereItStandsAlone() {
        TagAssignment flink = only(tag("Apache Flink", "Apache Flink, or just Flink, is fast."));

        assertThat(flink.confidence()).isEqualTo(0.804);
        assertThat(flink.reason())
                .isEqualTo("matched \"apache flink\" in title; \"apache flink\", \"flink\" in body");
    }

    @Test
    void matchesChineseAliasesInsideChineseText() {
        assertThat(tag(null, "我們用卡夫卡做流處理")).containsExactly(
                new TagAssignment("kafka", "tech", 0.3, TagSource.RULE, KeywordTagger.MODEL,
                        "matched \"卡夫卡\" in body"),
                new TagAssignment("stream-processing", "tech", 0.3, TagSource.RULE, KeywordTagger.MODEL,
                        "matched \"流處理\" in body"));
    }

    @Test
    void matchesFullWidthAndUpperCaseText() {
        TagAssignment kafka = only(tag("ＫＡＦＫＡ入門", null));

        assertThat(kafka.tag()).isEqualTo("kafka");
        assertThat(kafka.confidence()).isEqualTo(0.6);
    }

    @Test
    void doesNotMatchInsideLongerWords() {
        assertThat(tag("Kafkaesque", "A javascript primer on flinkstones.")).isEmpty();
    }

    @Test
    void returnsTagsOfEveryDimensionOrderedByTagId() {
        assertThat(tag("Java meets Kafka and Flink", null))
                .extracting(TagAssignment::tag, TagAssignment::dimension)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("flink", "tech"),
                        org.assertj.core.groups.Tuple.tuple("java", "lang"),
                        org.assertj.core.groups.Tuple.tuple("kafka", "tech"));
    }

    @Test
    void findsTagsByTheFormsTheyTakeInRunningText() {
        Taxonomy debtags = new Taxonomy("tx-forms",
                List.of(new Dimension("devel", "Software Development", null), new Dimension("interface", "User Interface", null)),
                List.of(taxonomyTag("devel::lang:perl", "devel", "Perl Development"),
                        taxonomyTag("devel::library", "devel", "Libraries"),
                        taxonomyTag("interface::commandline", "interface", "Command Line"),
                        taxonomyTag("interface::graphical", "interface", "Graphical User Interface")));

        List<TagAssignment> tags = new KeywordTagger(debtags).tag(request("Perl library for command-line options", "No GUI."));

        assertThat(tags).extracting(TagAssignment::tag, TagAssignment::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("devel::lang:perl", "matched \"perl\" in title"),
                org.assertj.core.groups.Tuple.tuple("devel::library", "matched \"library\" in title"),
                org.assertj.core.groups.Tuple.tuple("interface::commandline", "matched \"command line\" in title"));
    }

    @Test
    void returnsNothingForMissingOrEmptyText() {
        assertThat(tag(null, null)).isEmpty();
        assertThat(tag("", "")).isEmpty();
        assertThat(tag("Nothing to see", "here either")).isEmpty();
    }

    @Test
    void isDeterministic() {
        assertThat(tag("Kafka and Flink", "流處理 with kafka"))
                .isEqualTo(tag("Kafka and Flink", "流處理 with kafka"));
    }

    @Test
    void itsFactoryBuildsAKeywordTagger() {
        Tagger built = KeywordTagger.factory().create(TAXONOMY);

        assertThat(built).isInstanceOf(KeywordTagger.class);
        assertThat(built.tag(request("Kafka", null))).isEqualTo(tag("Kafka", null));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private List<TagAssignment> tag(String title, String body) {
        return tagger.tag(request(title, body));
    }

    private static TagAssignment only(List<TagAssignment> tags) {
        assertThat(tags).hasSize(1);
        return tags.get(0);
    }

    private static TaggingRequest request(String title, String body) {
        return new TaggingRequest("acme", "c1", title, body, null);
    }

    /** {@code n} whole-word occurrences of {@code word}, or null for none. */
    private static String repeat(String word, int n) {
        return n == 0 ? null : String.join(" ", java.util.Collections.nCopies(n, word));
    }

    private static TaxonomyTag taxonomyTag(String id, String dimension, String label, String... aliases) {
        return new TaxonomyTag(id, dimension, label, null, List.of(aliases));
    }
}
