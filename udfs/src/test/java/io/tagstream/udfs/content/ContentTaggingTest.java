package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentTaggingTest {

    private static final Taxonomy TAXONOMY = new Taxonomy("tx-42",
            List.of(new Dimension("tech", "Technology", null), new Dimension("tone", "Tone", null)),
            List.of(
                    new TaxonomyTag("kafka", "tech", "Apache Kafka", null, List.of("卡夫卡")),
                    new TaxonomyTag("flink", "tech", "Apache Flink", null, List.of()),
                    new TaxonomyTag("upbeat", "tone", "Upbeat", null, List.of())));

    private final List<TaggingRequest> requests = new ArrayList<>();

    @Test
    void aDeletedContentCarriesNoTagsAndIsNotTagged() {
        ContentTagging tagging = tagging(3, proposed("kafka", "tech", 0.9));

        TaggedContent tagged = tagging.tag(event(ContentOp.DELETE, "kafka"));

        assertThat(tagged.tags()).isEmpty();
        assertThat(tagged.event()).isEqualTo(event(ContentOp.DELETE, "kafka"));
        assertThat(tagged.taxonomyVersion()).isEqualTo("tx-42");
        assertThat(requests).isEmpty();
    }

    @Test
    void passesTheContentsTextToTheTagger() {
        tagging(3).tag(event(ContentOp.UPSERT));

        assertThat(requests).containsExactly(new TaggingRequest("acme", "c1", "Title", "Body", "en"));
    }

    @Test
    void keepsTheTaggersProposalsAndTheTaxonomyVersion() {
        TaggedContent tagged = tagging(3, proposed("kafka", "tech", 0.6), proposed("upbeat", "tone", 0.3))
                .tag(event(ContentOp.UPSERT));

        assertThat(tagged.tags()).containsExactlyInAnyOrder(
                proposed("kafka", "tech", 0.6), proposed("upbeat", "tone", 0.3));
        assertThat(tagged.taxonomyVersion()).isEqualTo("tx-42");
    }

    @Test
    void resolvesUserTagsThroughTheTaxonomy() {
        TaggedContent tagged = tagging(3).tag(event(ContentOp.UPSERT, "卡夫卡", "ＡＰＡＣＨＥ ＦＬＩＮＫ"));

        assertThat(tagged.tags()).containsExactly(
                new TagAssignment("kafka", "tech", 1.0, TagSource.USER, null, "tagged by the content's author"),
                new TagAssignment("flink", "tech", 1.0, TagSource.USER, null, "tagged by the content's author"));
    }

    @Test
    void keepsAnUnknownUserTagTrimmedUnderTheUserDimension() {
        TaggedContent tagged = tagging(3).tag(event(ContentOp.UPSERT, "  Event Sourcing "));

        assertThat(tagged.tags()).containsExactly(
                new TagAssignment("Event Sourcing", ContentTagging.USER_DIMENSION, 1.0, TagSource.USER, null,
                        "tagged by the content's author"));
        assertThat(ContentTagging.USER_DIMENSION).isEqualTo("user");
    }

    @Test
    void anAuthorsTagOverridesTheModelsOpinionOfTheSameTag() {
        TaggedContent tagged = tagging(3, proposed("kafka", "tech", 0.6), proposed("flink", "tech", 0.3))
                .tag(event(ContentOp.UPSERT, "Apache Kafka"));

        assertThat(tagged.tags())
                .extracting(TagAssignment::tag, TagAssignment::confidence, TagAssignment::source)
                .containsExactlyInAnyOrder(
                        tuple("kafka", 1.0, TagSource.USER),
                        tuple("flink", 0.3, TagSource.RULE));
    }

    @Test
    void twoSpellingsOfOneUserTagGiveOneTag() {
        TaggedContent tagged = tagging(3).tag(event(ContentOp.UPSERT, "kafka", "卡夫卡", "KAFKA"));

        assertThat(tagged.tags()).extracting(TagAssignment::tag).containsExactly("kafka");
    }

    @Test
    void appliesTopKToTheModelsTagsOnly() {
        ContentTagging tagging = tagging(1,
                proposed("kafka", "tech", 0.6), proposed("flink", "tech", 0.9), proposed("upbeat", "tone", 0.3));

        TaggedContent tagged = tagging.tag(event(ContentOp.UPSERT, "Apache Kafka", "Event Sourcing"));

        assertThat(tagged.tags())
                .extracting(TagAssignment::tag, TagAssignment::source)
                .containsExactlyInAnyOrder(
                        tuple("flink", TagSource.RULE),
                        tuple("upbeat", TagSource.RULE),
                        tuple("kafka", TagSource.USER),
                        tuple("Event Sourcing", TagSource.USER));
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Content tagging whose tagger proposes the given tags and records each request. */
    private ContentTagging tagging(int topK, TagAssignment... proposals) {
        Tagger tagger = request -> {
            requests.add(request);
            return List.of(proposals);
        };
        return new ContentTagging(TAXONOMY, tagger, topK);
    }

    private static TagAssignment proposed(String tag, String dimension, double confidence) {
        return new TagAssignment(tag, dimension, confidence, TagSource.RULE, "keyword-matcher/1", "matched");
    }

    private static ContentEvent event(ContentOp op, String... userTags) {
        return new ContentEvent("e1", "acme", "c1", op, 1L, Instant.parse("2026-01-31T12:00:00Z"),
                "Title", "Body", "en", null, null, List.of(userTags));
    }
}
