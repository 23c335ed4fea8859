package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.FeedbackAction;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.TagCanonicalizer;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ContentTagLedger#onRetag}: a re-tag of the content's current version after a model or taxonomy change. */
class ContentTagLedgerRetagTest {
    private static final Instant WRITTEN = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant RETAG = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant PROCESSED = Instant.parse("2026-06-01T00:00:05Z");

    private static final KnowledgeGraph OLD = graph("tx-old", "kafka", "cooking");
    private static final KnowledgeGraph NEW = graph("tx-new", "kafka", "flink");

    private final ContentTagLedger ledger = new ContentTagLedger(new TagCanonicalizer(3));

    @Test
    void recordsOnlyTheDifferenceAsTheNextVersionWithRetagReasonsAtTheRequestsTime() {
        ContentTagState state = tagged(OLD, 4, tag("kafka", 0.6), tag("cooking", 0.7));

        ContentTagLedger.Step step = ledger.onRetag(state, request(4, tag("kafka", 0.6), tag("cooking", 0.7),
                tag("flink", 0.8)), NEW, PROCESSED);

        TagChangeSet changes = step.changes().orElseThrow();
        assertThat(changes.tagVersion()).isEqualTo(2);
        assertThat(changes.contentVersion()).isEqualTo(4);
        assertThat(changes.events()).extracting(e -> e.action() + " " + e.tag() + " v" + e.tagVersion() + " "
                        + e.taxonomyVersion() + " " + e.occurredAt() + " " + e.reason())
                .containsExactly(
                        "REMOVED cooking v2 tx-new 2026-06-01T00:00:00Z retag: not in the taxonomy",
                        "ADDED flink v2 tx-new 2026-06-01T00:00:00Z retag: matched flink");
        assertThat(changes.events()).allSatisfy(e ->
                assertThat(e.eventId()).isEqualTo(TagEventIds.of("acme", "c1", 2, e.tag(), e.action())));
        assertThat(step.state().tagVersion()).isEqualTo(2);
        assertThat(step.state().contentVersion()).isEqualTo(4);
        assertThat(step.state().tags()).containsOnlyKeys("kafka", "flink");
    }

    @Test
    void theSameTagsChangeNothing() {
        ContentTagState state = tagged(OLD, 4, tag("kafka", 0.6));

        ContentTagLedger.Step step = ledger.onRetag(state, request(4, tag("kafka", 0.6)), NEW, PROCESSED);

        assertThat(step.changes()).isEmpty();
        assertThat(step.state()).isEqualTo(state);
    }

    @Test
    void aRequestForAnotherVersionThanTheContentsChangesNothing() {
        ContentTagState state = tagged(OLD, 4, tag("kafka", 0.6));

        assertThat(ledger.onRetag(state, request(3, tag("flink", 0.9)), NEW, PROCESSED).changes()).isEmpty();
        assertThat(ledger.onRetag(state, request(5, tag("flink", 0.9)), NEW, PROCESSED).changes()).isEmpty();
        assertThat(ledger.onRetag(ContentTagState.EMPTY, request(1, tag("flink", 0.9)), NEW, PROCESSED).changes()).isEmpty();
    }

    @Test
    void usersVerdictsStillHold() {
        ContentTagState state = tagged(OLD, 4, tag("kafka", 0.6));
        state = ledger.onFeedback(state, new FeedbackEvent("f1", "acme", "c1", "kafka", FeedbackAction.REJECT, "ana",
                WRITTEN.plusSeconds(60)), OLD, PROCESSED).state();

        ContentTagLedger.Step step = ledger.onRetag(state, request(4, tag("kafka", 0.9), tag("flink", 0.8)), NEW, PROCESSED);

        assertThat(step.changes().orElseThrow().events()).extracting(TagEvent::tag).containsExactly("flink");
        assertThat(step.state().tags()).containsOnlyKeys("flink");
    }

    private ContentTagState tagged(KnowledgeGraph graph, long contentVersion, TagAssignment... tags) {
        ContentEvent event = new ContentEvent("e" + contentVersion, "acme", "c1", ContentOp.UPSERT, contentVersion,
                WRITTEN, "t", "b", null, null, null, null);
        return ledger.onContent(ContentTagState.EMPTY, new TaggedContent(event, List.of(tags), graph.version()), graph,
                PROCESSED).state();
    }

    private static TaggedContent request(long contentVersion, TagAssignment... tags) {
        ContentEvent event = new ContentEvent("retag:e" + contentVersion, "acme", "c1", ContentOp.UPSERT, contentVersion,
                RETAG, "t", "b", null, null, null, null);
        return new TaggedContent(event, List.of(tags), NEW.version());
    }

    private static TagAssignment tag(String tag, double confidence) {
        return new TagAssignment(tag, "tech", confidence, TagSource.RULE, "keywords/1", "matched " + tag);
    }

    private static KnowledgeGraph graph(String version, String... tags) {
        List<TaxonomyTag> taxonomyTags = java.util.Arrays.stream(tags)
                .map(t -> new TaxonomyTag(t, "tech", t, null, List.of())).toList();
        return KnowledgeGraph.builder(new Taxonomy(version, List.of(new Dimension("tech", "Technology", null)), taxonomyTags))
                .build();
    }
}
