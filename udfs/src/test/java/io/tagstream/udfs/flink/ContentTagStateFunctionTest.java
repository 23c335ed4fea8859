package io.tagstream.udfs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TagEventIds;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContentTagStateFunctionTest {

    private static final TagAssignment KAFKA = rule("kafka", 0.6);
    private static final TagAssignment FLINK = rule("flink", 0.3);

    private final List<AutoCloseable> harnesses = new ArrayList<>();
    private KeyedOneInputStreamOperatorTestHarness<String, TaggedContent, TagChangeSet> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = newHarness(null);
    }

    @AfterEach
    void closeHarnesses() throws Exception {
        for (AutoCloseable h : harnesses) {
            h.close();
        }
    }

    @Test
    void theFirstTaggingEmitsAChangeSetOfAddedTags() throws Exception {
        List<TagChangeSet> out = process(upsert("c1", 1, KAFKA, FLINK));

        assertThat(out).hasSize(1);
        TagChangeSet changes = out.get(0);
        assertThat(changes.tagVersion()).isEqualTo(1);
        assertThat(changes.contentVersion()).isEqualTo(1);
        assertThat(changes.events())
                .extracting(TagEvent::tag, TagEvent::action, TagEvent::confidence, TagEvent::previousConfidence)
                .containsExactly(tuple("flink", TagAction.ADDED, 0.3, null), tuple("kafka", TagAction.ADDED, 0.6, null));
        assertThat(changes.events()).extracting(TagEvent::eventId).containsExactly(
                TagEventIds.of("acme", "c1", 1, "flink", TagAction.ADDED),
                TagEventIds.of("acme", "c1", 1, "kafka", TagAction.ADDED));
        assertThat(changes.current()).containsExactly(FLINK, KAFKA);
    }

    @Test
    void theSameTagsAgainEmitNothing() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK));

        assertThat(process(upsert("c1", 2, FLINK, KAFKA))).isEmpty();
    }

    @Test
    void changedTagsEmitTheNextTagVersion() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK));
        process(upsert("c1", 2, KAFKA, FLINK));

        List<TagChangeSet> out = process(upsert("c1", 3, rule("kafka", 0.9), rule("java", 0.6)));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).tagVersion()).isEqualTo(2);
        assertThat(out.get(0).contentVersion()).isEqualTo(3);
        assertThat(out.get(0).events())
                .extracting(TagEvent::tag, TagEvent::action, TagEvent::confidence, TagEvent::previousConfidence)
                .containsExactly(
                        tuple("flink", TagAction.REMOVED, 0.0, 0.3),
                        tuple("java", TagAction.ADDED, 0.6, null),
                        tuple("kafka", TagAction.UPDATED, 0.9, 0.6));
        assertThat(out.get(0).current()).extracting(TagAssignment::tag).containsExactly("java", "kafka");
    }

    @Test
    void aDeleteRemovesEveryTagAndALaterUpsertStartsAgainAtTheNextVersion() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK));

        TagChangeSet deleted = process(delete("c1", 2)).get(0);
        TagChangeSet recreated = process(upsert("c1", 3, KAFKA)).get(0);

        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.tagVersion()).isEqualTo(2);
        assertThat(deleted.events()).extracting(TagEvent::action).containsOnly(TagAction.REMOVED).hasSize(2);
        assertThat(recreated.deleted()).isFalse();
        assertThat(recreated.tagVersion()).isEqualTo(3);
        assertThat(recreated.events()).extracting(TagEvent::tag, TagEvent::action)
                .containsExactly(tuple("kafka", TagAction.ADDED));
    }

    @Test
    void keepsEachContentsTagsApart() throws Exception {
        List<TagChangeSet> out = process(upsert("c1", 1, KAFKA), upsert("c2", 1, FLINK), upsert("c1", 2, KAFKA, FLINK));

        assertThat(out).extracting(TagChangeSet::contentId, TagChangeSet::tagVersion)
                .containsExactly(tuple("c1", 1L), tuple("c2", 1L), tuple("c1", 2L));
        assertThat(out.get(2).events()).extracting(TagEvent::tag).containsExactly("flink");
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);

        harness = newHarness(snapshot);
        assertThat(process(upsert("c1", 2, KAFKA, FLINK))).as("unchanged after restore").isEmpty();
        List<TagChangeSet> out = process(upsert("c1", 3, rule("kafka", 0.9), FLINK));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).tagVersion()).isEqualTo(2);
        assertThat(out.get(0).events())
                .extracting(TagEvent::tag, TagEvent::action, TagEvent::previousConfidence, TagEvent::eventId)
                .containsExactly(tuple("kafka", TagAction.UPDATED, 0.6,
                        TagEventIds.of("acme", "c1", 2, "kafka", TagAction.UPDATED)));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private KeyedOneInputStreamOperatorTestHarness<String, TaggedContent, TagChangeSet> newHarness(
            OperatorSubtaskState restoreFrom) throws Exception {
        var newHarness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ContentTagStateFunction()),
                (TaggedContent tagged) -> tagged.event().contentKey(),
                Types.STRING);
        harnesses.add(newHarness);
        if (restoreFrom != null) {
            newHarness.initializeState(restoreFrom);
        }
        newHarness.open();
        return newHarness;
    }

    private List<TagChangeSet> process(TaggedContent... inputs) throws Exception {
        harness.getOutput().clear();
        for (TaggedContent input : inputs) {
            harness.processElement(input, 0L);
        }
        return harness.extractOutputValues();
    }

    private static TaggedContent upsert(String contentId, long version, TagAssignment... tags) {
        return new TaggedContent(event(contentId, ContentOp.UPSERT, version), List.of(tags), "tx-test");
    }

    private static TaggedContent delete(String contentId, long version) {
        return new TaggedContent(event(contentId, ContentOp.DELETE, version), List.of(), "tx-test");
    }

    private static ContentEvent event(String contentId, ContentOp op, long version) {
        return new ContentEvent("e-" + contentId + "-" + version, "acme", contentId, op, version,
                Instant.parse("2026-01-31T12:00:00Z"), "title", "body", "en", null, null, null);
    }

    private static TagAssignment rule(String tag, double confidence) {
        return new TagAssignment(tag, "tech", confidence, TagSource.RULE, "keyword-matcher/1", "matched " + tag);
    }
}
