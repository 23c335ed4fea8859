package io.tagstream.udfs.tagging.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTaggerTest {
    private static final String TAXONOMY = """
            [{"kind": "dimension", "id": "topic", "label": "Topic"},
             {"kind": "tag", "id": "topic::streaming", "dimension": "topic", "label": "Stream processing"},
             {"kind": "tag", "id": "topic::kafka", "dimension": "topic", "label": "Kafka"},
             {"kind": "rule", "tag": "topic::streaming", "all": ["kafka", "window"], "confidence": 0.85},
             {"kind": "rule", "tag": "topic::kafka", "all": ["卡夫卡"]}]
            """;

    private static Taxonomy taxonomy() throws Exception {
        return TaxonomyFile.parse(TAXONOMY.getBytes(StandardCharsets.UTF_8), "test");
    }

    @Test
    void aRuleFiresOnlyWhenEveryKeywordOccurs() throws Exception {
        Tagger tagger = RuleTagger.withKeywords().create(taxonomy());
        List<TagAssignment> both = tagger.tag(new TaggingRequest("t", "c", "Kafka", "a tumbling window", null));
        assertThat(both).containsExactlyInAnyOrder(
                new TagAssignment("topic::kafka", "topic", 0.6, TagSource.RULE, "keyword-matcher/1", "matched \"kafka\" in title"),
                new TagAssignment("topic::streaming", "topic", 0.85, TagSource.RULE, RuleTagger.MODEL, "rule: kafka AND window"));
        assertThat(tagger.tag(new TaggingRequest("t", "c", "Kafka", "no such thing", null)))
                .map(TagAssignment::tag).containsExactly("topic::kafka");
    }

    @Test
    void aRuleUsesItsAuthorsConfidence() throws Exception {
        List<TagAssignment> tags = new RuleTagger(taxonomy()).tag(new TaggingRequest("t", "c", null, "卡夫卡", null));
        assertThat(tags).containsExactly(   // the default confidence of a rule
                new TagAssignment("topic::kafka", "topic", 0.9, TagSource.RULE, RuleTagger.MODEL, "rule: 卡夫卡"));
        // Beside the label matches, agreement is evidence: 1 - (1 - 0.9)(1 - 0.3) for the body match.
        assertThat(RuleTagger.withKeywords().create(taxonomy()).tag(new TaggingRequest("t", "c", null, "Kafka 卡夫卡", null)))
                .map(t -> t.tag() + " " + t.confidence()).containsExactly("topic::kafka 0.93");
    }
}
