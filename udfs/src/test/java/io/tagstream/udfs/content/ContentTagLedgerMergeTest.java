package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.FeedbackAction;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.TagCanonicalizer;
import io.tagstream.udfs.graph.TaxonomyChange;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Users' verdicts keep holding after the tag they name is merged into another. */
class ContentTagLedgerMergeTest {
    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");
    private static final KnowledgeGraph GRAPH = KnowledgeGraph.of(new Taxonomy("tx-test",
            List.of(new Dimension("tech", "T", null)),
            List.of(tag("kafka"), tag("old-kafka"), tag("flink"))));
    private static final TaxonomyCommand MERGE = new TaxonomyCommand("m1", TaxonomyCommandType.MERGE, null,
            "old-kafka", "kafka", Map.of(), "curator", T0);
    private final ContentTagLedger ledger = new ContentTagLedger(new TagCanonicalizer(10));

    @Test
    void anAddedTagThatIsMergedStaysTheUsersTagUnderItsNewName() throws Exception {
        TagAssignment flink = new TagAssignment("flink", "tech", 0.6, TagSource.LLM, "m", "saw flink");
        ContentTagState state = ledger.onContent(ContentTagState.EMPTY, tagged(1, flink), GRAPH, T0).state();
        state = ledger.onFeedback(state, feedback("old-kafka", FeedbackAction.ADD), GRAPH, T0).state();
        KnowledgeGraph merged = TaxonomyChange.apply(GRAPH, MERGE);
        state = ledger.onTaxonomyChange(state, "acme", "c1", MERGE, merged, T0).state();

        ContentTagLedger.Step retagged = ledger.onContent(state, tagged(2, flink), merged, T0);
        ContentTagLedger.Step again = ledger.onContent(retagged.state(), tagged(3, flink), merged, T0);

        assertThat(retagged.changes().orElseThrow().events())
                .extracting(TagEvent::tag, TagEvent::action, TagEvent::source, TagEvent::confidence)
                .containsExactly(tuple("kafka", TagAction.UPDATED, TagSource.USER, 1.0));
        assertThat(retagged.state().tags()).containsOnlyKeys("flink", "kafka");
        assertThat(again.changes()).isEmpty();
    }

    @Test
    void aRejectedTagThatIsMergedStaysOffUnderItsNewName() throws Exception {
        TagAssignment old = new TagAssignment("old-kafka", "tech", 0.6, TagSource.LLM, "m", "saw");
        ContentTagState state = ledger.onContent(ContentTagState.EMPTY, tagged(1, old), GRAPH, T0).state();
        state = ledger.onFeedback(state, feedback("old-kafka", FeedbackAction.REJECT), GRAPH, T0).state();
        KnowledgeGraph merged = TaxonomyChange.apply(GRAPH, MERGE);
        state = ledger.onTaxonomyChange(state, "acme", "c1", MERGE, merged, T0).state();

        ContentTagLedger.Step retagged = ledger.onContent(state, tagged(2, old), merged, T0);

        assertThat(retagged.state().tags()).isEmpty();
        assertThat(retagged.drops()).extracting(TagDrop::tag, TagDrop::reason)
                .containsExactly(tuple("kafka", "rejected by ana"));
    }

    private static TaggedContent tagged(long version, TagAssignment... tags) {
        return new TaggedContent(new ContentEvent("e" + version, "acme", "c1", ContentOp.UPSERT, version, T0, null, null,
                null, null, null, null), List.of(tags), "tx-test");
    }

    private static FeedbackEvent feedback(String tag, FeedbackAction action) {
        return new FeedbackEvent("f-" + tag + action, "acme", "c1", tag, action, "ana", T0);
    }

    private static TaxonomyTag tag(String id) {
        return new TaxonomyTag(id, "tech", id, null, List.of());
    }
}
