package io.tagstream.udfs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.FeedbackAction;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.udfs.content.ContentInput;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TagDrop;
import io.tagstream.udfs.content.TagEventIds;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContentTagStateFunctionTest {

    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");
    private static final TagAssignment KAFKA = rule("kafka", 0.6);
    private static final TagAssignment FLINK = rule("flink", 0.3);
    private static final KnowledgeGraph GRAPH = KnowledgeGraph.of(new Taxonomy("tx-test",
            List.of(new Dimension("tech", "Tech", null)),
            List.of(tag("kafka"), tag("flink"), tag("java"), tag("streaming"))));

    private final List<AutoCloseable> harnesses = new ArrayList<>();
    private KeyedBroadcastOperatorTestHarness<String, ContentInput, TaxonomyCommand, TagChangeSet> harness;

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
        assertThat(changes.events()).extracting(TagEvent::taxonomyVersion).containsOnly("tx-test");
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
    void anOlderContentVersionArrivingLateChangesNothing() throws Exception {
        process(upsert("c1", 2, KAFKA));

        assertThat(process(upsert("c1", 1, FLINK))).isEmpty();
    }

    @Test
    void aDeleteRemovesEveryTagAndALaterUpsertStartsAgainAtTheNextVersion() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK));

        TagChangeSet deleted = process(delete("c1", 2)).get(0);
        TagChangeSet recreated = process(upsert("c1", 3, KAFKA)).get(0);

        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.tagVersion()).isEqualTo(2);
        assertThat(deleted.events()).extracting(TagEvent::action, TagEvent::reason)
                .containsOnly(tuple(TagAction.REMOVED, "content deleted")).hasSize(2);
        assertThat(recreated.tagVersion()).isEqualTo(3);
        assertThat(recreated.events()).extracting(TagEvent::tag, TagEvent::action)
                .containsExactly(tuple("kafka", TagAction.ADDED));
    }

    @Test
    void aTagOutsideTheTaxonomyIsDroppedAndRecorded() throws Exception {
        List<TagChangeSet> out = process(upsert("c1", 1, KAFKA, rule("cobol", 0.9)));

        assertThat(out.get(0).current()).extracting(TagAssignment::tag).containsExactly("kafka");
        assertThat(harness.getSideOutput(ContentTagStateFunction.DROPS)).extracting(StreamRecord::getValue)
                .extracting(TagDrop::tag, TagDrop::reason)
                .containsExactly(tuple("cobol", "not in the taxonomy"));
    }

    @Test
    void aRejectedTagIsTakenOffAndNeverComesBackWhileTheModelsOpinionIsRecorded() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK));

        TagChangeSet rejected = process(feedback("c1", "kafka", FeedbackAction.REJECT)).get(0);
        List<TagChangeSet> retagged = process(upsert("c1", 2, rule("kafka", 0.95), FLINK));

        assertThat(rejected.tagVersion()).isEqualTo(2);
        assertThat(rejected.events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::source,
                        TagEvent::confidence, TagEvent::previousConfidence, TagEvent::reason)
                .containsExactly(tuple("kafka", TagAction.REJECTED, TagSource.USER, 0.0, 0.6, "rejected by ana"));
        assertThat(retagged).as("kafka stays off").isEmpty();
        assertThat(harness.getSideOutput(ContentTagStateFunction.DROPS)).extracting(StreamRecord::getValue)
                .extracting(TagDrop::tag, TagDrop::confidence, TagDrop::reason)
                .containsExactly(tuple("kafka", 0.95, "rejected by ana"));
    }

    @Test
    void anAcceptedOrAddedTagStaysWhenTheModelsNoLongerProposeIt() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK));

        TagChangeSet confirmed = process(feedback("c1", "flink", FeedbackAction.ACCEPT)).get(0);
        TagChangeSet added = process(feedback("c1", "java", FeedbackAction.ADD)).get(0);
        List<TagChangeSet> retagged = process(upsert("c1", 2, KAFKA));

        assertThat(confirmed.events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::confidence,
                        TagEvent::previousConfidence, TagEvent::source)
                .containsExactly(tuple("flink", TagAction.CONFIRMED, 1.0, 0.3, TagSource.USER));
        assertThat(added.events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::tagVersion)
                .containsExactly(tuple("java", TagAction.ADDED, 3L));
        assertThat(retagged).as("nothing changes: pinned tags stay, kafka unchanged").isEmpty();
        assertThat(process(feedback("c1", "flink", FeedbackAction.ACCEPT))).as("a repeated accept").isEmpty();
    }

    @Test
    void feedbackForAContentThatHasNotArrivedWaitsForIt() throws Exception {
        assertThat(process(feedback("c9", "java", FeedbackAction.ADD))).isEmpty();

        List<TagChangeSet> out = process(upsert("c9", 1, KAFKA));

        assertThat(out).extracting(TagChangeSet::tagVersion).containsExactly(1L, 2L);
        assertThat(out.get(1).events()).extracting(TagEvent::tag, TagEvent::action)
                .containsExactly(tuple("java", TagAction.ADDED));
    }

    @Test
    void aMergeRewritesEveryContentCarryingTheTagAndOnlyThose() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK), upsert("c2", 1, FLINK));

        List<TagChangeSet> out = broadcast(command("m1", TaxonomyCommandType.MERGE, "kafka", "streaming"));

        assertThat(out).extracting(TagChangeSet::contentId).containsExactly("c1");
        assertThat(out.get(0).events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::source,
                        TagEvent::confidence, TagEvent::reason)
                .containsExactly(
                        tuple("kafka", TagAction.REMOVED, TagSource.TAXONOMY, 0.0, "merged 'kafka' into 'streaming'"),
                        tuple("streaming", TagAction.ADDED, TagSource.TAXONOMY, 0.6, "merged 'kafka' into 'streaming'"));
        assertThat(out.get(0).events()).extracting(TagEvent::taxonomyVersion).containsOnly("tx-test+1");
        assertThat(process(upsert("c3", 1, KAFKA)).get(0).current()).as("new proposals follow the merge")
                .extracting(TagAssignment::tag).containsExactly("streaming");
    }

    @Test
    void aBlockedTagIsTakenOffAndNeverAddedAgain() throws Exception {
        process(upsert("c1", 1, KAFKA, rule("java", 0.5)));

        List<TagChangeSet> blocked = broadcast(command("b1", TaxonomyCommandType.BLOCK_TAG, "java", null));
        List<TagChangeSet> later = process(upsert("c2", 1, rule("java", 0.99)), feedback("c1", "java", FeedbackAction.ADD));

        assertThat(blocked).hasSize(1);
        assertThat(blocked.get(0).events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::reason)
                .containsExactly(tuple("java", TagAction.REMOVED, "tag 'java' blocked"));
        assertThat(later).as("c2 gets no tag, the ADD is refused").isEmpty();
        assertThat(harness.getSideOutput(ContentTagStateFunction.DROPS)).extracting(StreamRecord::getValue)
                .extracting(TagDrop::tag).containsOnly("[blocked]");
    }

    @Test
    void anInvalidCommandBecomesADeadLetterAndLeavesTheGraphAlone() throws Exception {
        process(upsert("c1", 1, KAFKA));

        assertThat(broadcast(command("x1", TaxonomyCommandType.MERGE, "kafka", "cobol"))).isEmpty();

        assertThat(harness.getSideOutput(ContentTagStateFunction.REJECTED_COMMANDS)).extracting(StreamRecord::getValue)
                .extracting(DeadLetter::stage, DeadLetter::error)
                .containsExactly(tuple("taxonomy", "unknown tag 'cobol'"));
        assertThat(process(upsert("c1", 2, KAFKA, FLINK)).get(0).events()).extracting(TagEvent::taxonomyVersion)
                .containsOnly("tx-test");
    }

    @Test
    void stateAndTheGraphSurviveASnapshotAndRestore() throws Exception {
        process(upsert("c1", 1, KAFKA, FLINK));
        broadcast(command("a1", TaxonomyCommandType.ADD_ALIAS, "java", null, Map.of("alias", "jvm")));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);

        harness = newHarness(snapshot);
        assertThat(process(upsert("c1", 2, KAFKA, FLINK))).as("unchanged after restore").isEmpty();
        List<TagChangeSet> out = process(upsert("c1", 3, rule("kafka", 0.9), FLINK, rule("jvm", 0.5)));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).tagVersion()).isEqualTo(2);
        assertThat(out.get(0).events())
                .extracting(TagEvent::tag, TagEvent::action, TagEvent::taxonomyVersion, TagEvent::eventId)
                .containsExactly(
                        tuple("java", TagAction.ADDED, "tx-test+1", TagEventIds.of("acme", "c1", 2, "java", TagAction.ADDED)),
                        tuple("kafka", TagAction.UPDATED, "tx-test+1", TagEventIds.of("acme", "c1", 2, "kafka", TagAction.UPDATED)));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private KeyedBroadcastOperatorTestHarness<String, ContentInput, TaxonomyCommand, TagChangeSet> newHarness(
            OperatorSubtaskState restoreFrom) throws Exception {
        var newHarness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new ContentTagStateFunction(GRAPH, 3, 10, "taxonomy.commands"),
                        List.of(ContentTagStateFunction.COMMANDS)),
                ContentInput::contentKey, Types.STRING, 128, 1, 0);
        harnesses.add(newHarness);
        if (restoreFrom != null) {
            newHarness.initializeState(restoreFrom);
        }
        newHarness.open();
        return newHarness;
    }

    private List<TagChangeSet> process(ContentInput... inputs) throws Exception {
        harness.getOutput().clear();
        for (ContentInput input : inputs) {
            harness.processElement(input, 0L);
        }
        return harness.extractOutputValues();
    }

    private List<TagChangeSet> broadcast(TaxonomyCommand command) throws Exception {
        harness.getOutput().clear();
        harness.processBroadcastElement(command, 0L);
        return harness.extractOutputValues();
    }

    private static ContentInput upsert(String contentId, long version, TagAssignment... tags) {
        return ContentInput.of(new TaggedContent(event(contentId, ContentOp.UPSERT, version), List.of(tags), "tx-test"));
    }

    private static ContentInput delete(String contentId, long version) {
        return ContentInput.of(new TaggedContent(event(contentId, ContentOp.DELETE, version), List.of(), "tx-test"));
    }

    private static ContentInput feedback(String contentId, String tag, FeedbackAction action) {
        return ContentInput.of(new FeedbackEvent("f-" + contentId + tag + action, "acme", contentId, tag, action, "ana", T0));
    }

    private static TaxonomyCommand command(String id, TaxonomyCommandType type, String tag, String target) {
        return command(id, type, tag, target, Map.of());
    }

    private static TaxonomyCommand command(
            String id, TaxonomyCommandType type, String tag, String target, Map<String, String> attributes) {
        return new TaxonomyCommand(id, type, null, tag, target, attributes, "curator", T0);
    }

    private static ContentEvent event(String contentId, ContentOp op, long version) {
        return new ContentEvent("e-" + contentId + "-" + version, "acme", contentId, op, version, T0, "title", "body",
                "en", null, null, null);
    }

    private static TaxonomyTag tag(String id) {
        return new TaxonomyTag(id, "tech", id, null, List.of());
    }

    private static TagAssignment rule(String tag, double confidence) {
        return new TagAssignment(tag, "tech", confidence, TagSource.RULE, "keyword-matcher/1", "matched " + tag);
    }
}
