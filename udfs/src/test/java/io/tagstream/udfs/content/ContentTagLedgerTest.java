package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import io.tagstream.udfs.graph.NsfwLevel;
import io.tagstream.udfs.graph.TagCanonicalizer;
import io.tagstream.udfs.graph.TagProfile;
import io.tagstream.udfs.graph.TagStatus;
import io.tagstream.udfs.graph.TaxonomyChange;
import io.tagstream.udfs.graph.TenantPolicy;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ledger's transitions, without Flink: content, feedback and taxonomy changes on one content's state. */
class ContentTagLedgerTest {

    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-31T13:00:00Z");
    private static final Instant PROCESSED = Instant.parse("2026-01-31T13:00:00.250Z");

    private static final Taxonomy TAXONOMY = new Taxonomy("tx-test",
            List.of(new Dimension("tech", "Technology", null), new Dimension("tone", "Tone", null),
                    new Dimension("audience", "Audience", null)),
            List.of(new TaxonomyTag("kafka", "tech", "Apache Kafka", null, List.of("kfk")),
                    tag("old-kafka", "tech"), tag("flink", "tech"), tag("java", "tech"), tag("casual", "tone"),
                    tag("beginner", "audience"), tag("banned", "audience"), tag("adults", "audience")));

    /** banned is blocked everywhere, adults is r18, the tenant "no-java" blocks java. */
    private static final KnowledgeGraph GRAPH = KnowledgeGraph.builder(TAXONOMY)
            .profile("banned", new TagProfile(TagStatus.BLOCKED, NsfwLevel.ALL_AGES, false))
            .profile("adults", new TagProfile(TagStatus.ACTIVE, NsfwLevel.R18, false))
            .policy("no-java", new TenantPolicy(NsfwLevel.ALL_AGES, false, Set.of("java")))
            .build();

    private static final TagAssignment KAFKA = llm("kafka", "tech", 0.6);
    private static final TagAssignment FLINK = llm("flink", "tech", 0.4);
    private static final TagAssignment CASUAL = llm("casual", "tone", 0.5);
    private static final TagAssignment BEGINNER = llm("beginner", "audience", 0.5);

    private final ContentTagLedger ledger = new ContentTagLedger(new TagCanonicalizer(10));

    @Nested
    class Feedback {

        @Test
        void acceptingATagTheContentCarriesConfirmsItWithFullConfidence() {
            ContentTagState state = carrying(3, KAFKA, FLINK);

            ContentTagLedger.Step step = ledger.onFeedback(state, feedback("kafka", FeedbackAction.ACCEPT), GRAPH, PROCESSED);

            TagAssignment confirmed = new TagAssignment("kafka", "tech", 1.0, TagSource.USER, null, "confirmed by ana");
            TagChangeSet changes = step.changes().orElseThrow();
            assertThat(changes.events()).containsExactly(new TagEvent(
                    TagEventIds.of("acme", "c1", 4, "kafka", TagAction.CONFIRMED), "acme", "c1", 2, 4, "kafka", "tech",
                    TagAction.CONFIRMED, 1.0, 0.6, TagSource.USER, null, null, "tx-test", "confirmed by ana", T1, PROCESSED));
            assertThat(changes.tenant()).isEqualTo("acme");
            assertThat(changes.contentId()).isEqualTo("c1");
            assertThat(changes.contentVersion()).isEqualTo(2);
            assertThat(changes.tagVersion()).isEqualTo(4);
            assertThat(changes.deleted()).isFalse();
            assertThat(changes.occurredAt()).isEqualTo(T1);
            assertThat(changes.current()).containsExactlyInAnyOrder(confirmed, FLINK);
            assertThat(changes.qualityScore()).isEqualTo(80);
            assertThat(step.state()).isEqualTo(new ContentTagState(4, 2, true, 80,
                    Map.of("kafka", confirmed, "flink", FLINK), Map.of("kafka", new TagVerdict(true, "ana", T1))));
            assertThat(step.drops()).isEmpty();
        }

        @Test
        void acceptingATagTheContentDoesNotCarryAddsIt() {
            ContentTagLedger.Step step = ledger.onFeedback(carrying(3, FLINK), feedback("kfk", FeedbackAction.ACCEPT),
                    GRAPH, PROCESSED);

            assertThat(step.changes().orElseThrow().events())
                    .extracting(TagEvent::tag, TagEvent::dimension, TagEvent::action, TagEvent::confidence,
                            TagEvent::previousConfidence, TagEvent::source, TagEvent::reason, TagEvent::tagVersion)
                    .containsExactly(tuple("kafka", "tech", TagAction.ADDED, 1.0, null, TagSource.USER, "added by ana", 4L));
            assertThat(step.state().tags()).containsOnlyKeys("flink", "kafka");
            assertThat(step.state().verdicts()).containsExactly(Map.entry("kafka", new TagVerdict(true, "ana", T1)));
        }

        @Test
        void addingATagTheTaxonomyDoesNotKnowKeepsItsNameUnderTheUserDimension() {
            ContentTagLedger.Step step = ledger.onFeedback(carrying(3, FLINK), feedback(" my-project ", FeedbackAction.ADD),
                    GRAPH, PROCESSED);

            assertThat(step.changes().orElseThrow().events())
                    .extracting(TagEvent::tag, TagEvent::dimension, TagEvent::action, TagEvent::reason)
                    .containsExactly(tuple("my-project", "user", TagAction.ADDED, "added by ana"));
            assertThat(step.state().verdicts()).containsOnlyKeys("my-project");
        }

        @Test
        void rejectingATagTheContentCarriesTakesItOff() {
            ContentTagLedger.Step step = ledger.onFeedback(carrying(3, KAFKA, FLINK), feedback("kafka", FeedbackAction.REJECT),
                    GRAPH, PROCESSED);

            TagChangeSet changes = step.changes().orElseThrow();
            assertThat(changes.events()).containsExactly(new TagEvent(
                    TagEventIds.of("acme", "c1", 4, "kafka", TagAction.REJECTED), "acme", "c1", 2, 4, "kafka", "tech",
                    TagAction.REJECTED, 0.0, 0.6, TagSource.USER, null, null, "tx-test", "rejected by ana", T1, PROCESSED));
            assertThat(changes.current()).containsExactly(FLINK);
            assertThat(step.state().tags()).containsExactly(Map.entry("flink", FLINK));
            assertThat(step.state().verdicts()).containsExactly(Map.entry("kafka", new TagVerdict(false, "ana", T1)));
            assertThat(step.state().tagVersion()).isEqualTo(4);
        }

        @Test
        void rejectingATagTheContentDoesNotCarryRecordsTheVerdictWithoutAnEvent() {
            ContentTagState state = carrying(3, FLINK);

            ContentTagLedger.Step step = ledger.onFeedback(state, feedback("kafka", FeedbackAction.REJECT), GRAPH, PROCESSED);

            assertThat(step.changes()).isEmpty();
            assertThat(step.drops()).isEmpty();
            assertThat(step.state()).isEqualTo(new ContentTagState(3, 2, true, 80, Map.of("flink", FLINK),
                    Map.of("kafka", new TagVerdict(false, "ana", T1))));
        }

        @Test
        void theRecordedRejectionKeepsTheTagOffTheNextTagging() {
            ContentTagState rejected = ledger.onFeedback(carrying(3, FLINK), feedback("kafka", FeedbackAction.REJECT),
                    GRAPH, PROCESSED).state();

            ContentTagLedger.Step step = ledger.onContent(rejected, tagged(3, KAFKA, FLINK, CASUAL, BEGINNER), GRAPH, PROCESSED);

            assertThat(step.state().tags()).containsOnlyKeys("beginner", "casual", "flink");
            assertThat(step.drops()).extracting(TagDrop::tag, TagDrop::confidence, TagDrop::reason)
                    .containsExactly(tuple("kafka", 0.6, "rejected by ana"));
        }

        @Test
        void removingATagTheContentCarriesTakesItOff() {
            ContentTagLedger.Step step = ledger.onFeedback(carrying(3, KAFKA, FLINK), feedback("flink", FeedbackAction.REMOVE),
                    GRAPH, PROCESSED);

            assertThat(step.changes().orElseThrow().events())
                    .extracting(TagEvent::tag, TagEvent::action, TagEvent::confidence, TagEvent::previousConfidence,
                            TagEvent::source, TagEvent::reason)
                    .containsExactly(tuple("flink", TagAction.REMOVED, 0.0, 0.4, TagSource.USER, "removed by ana"));
            assertThat(step.state().tags()).containsOnlyKeys("kafka");
            assertThat(step.state().verdicts()).containsExactly(Map.entry("flink", new TagVerdict(false, "ana", T1)));
        }

        @ParameterizedTest
        @EnumSource(value = FeedbackAction.class, names = {"ADD", "ACCEPT"})
        void pinningATagTheTenantMayNotCarryIsRefusedWithoutNamingIt(FeedbackAction action) {
            ContentTagState state = carrying(3, KAFKA);

            ContentTagLedger.Step blocked = ledger.onFeedback(state, feedback("banned", action), GRAPH, PROCESSED);
            ContentTagLedger.Step rated = ledger.onFeedback(state, feedback("adults", action), GRAPH, PROCESSED);
            ContentTagLedger.Step tenantBlocked = ledger.onFeedback(state,
                    new FeedbackEvent("f1", "no-java", "c1", "java", action, "ana", T1), GRAPH, PROCESSED);

            for (ContentTagLedger.Step step : List.of(blocked, rated)) {
                assertThat(step.changes()).isEmpty();
                assertThat(step.state()).isSameAs(state);
                assertThat(step.drops()).containsExactly(new TagDrop("acme", "c1", 2, "[blocked]", 1.0, "user",
                        "not allowed for this tenant: " + action + " by ana refused", "tx-test", T1));
            }
            assertThat(tenantBlocked.changes()).isEmpty();
            assertThat(tenantBlocked.drops()).extracting(TagDrop::tenant, TagDrop::tag)
                    .containsExactly(tuple("no-java", "[blocked]"));
        }

        @Test
        void aRepeatedFeedbackYieldsNoEvent() {
            ContentTagState state = carrying(3, KAFKA, FLINK);

            for (FeedbackAction action : FeedbackAction.values()) {
                ContentTagState once = ledger.onFeedback(state, feedback("kafka", action), GRAPH, PROCESSED).state();

                ContentTagLedger.Step again = ledger.onFeedback(once, feedback("kafka", action), GRAPH, PROCESSED);

                assertThat(again.changes()).as(action.name()).isEmpty();
                assertThat(again.drops()).as(action.name()).isEmpty();
                assertThat(again.state()).as(action.name()).isEqualTo(once);
            }
        }

        @Test
        void addingATagAlreadyAcceptedYieldsNoEvent() {
            ContentTagState accepted = ledger.onFeedback(carrying(3, KAFKA), feedback("kafka", FeedbackAction.ACCEPT),
                    GRAPH, PROCESSED).state();

            assertThat(ledger.onFeedback(accepted, feedback("kfk", FeedbackAction.ADD), GRAPH, PROCESSED).changes()).isEmpty();
        }

        @Test
        void acceptingAfterARejectionAddsTheTagBack() {
            ContentTagState rejected = ledger.onFeedback(carrying(3, KAFKA), feedback("kafka", FeedbackAction.REJECT),
                    GRAPH, PROCESSED).state();

            ContentTagLedger.Step step = ledger.onFeedback(rejected, feedback("kafka", FeedbackAction.ACCEPT), GRAPH, PROCESSED);

            assertThat(step.changes().orElseThrow().events()).extracting(TagEvent::action, TagEvent::tagVersion)
                    .containsExactly(tuple(TagAction.ADDED, 5L));
            assertThat(step.state().verdicts().get("kafka").pinned()).isTrue();
        }

        @Test
        void feedbackWithoutAnActorIsAnUnnamedUsers() {
            FeedbackEvent anonymous = new FeedbackEvent("f1", "acme", "c1", "kafka", FeedbackAction.REJECT, null, T1);

            ContentTagLedger.Step step = ledger.onFeedback(carrying(3, KAFKA), anonymous, GRAPH, PROCESSED);

            assertThat(step.changes().orElseThrow().events()).extracting(TagEvent::reason)
                    .containsExactly("rejected by an unnamed user");
            assertThat(step.state().verdicts().get("kafka").actor()).isEqualTo("an unnamed user");
        }
    }

    @Nested
    class Content {

        @Test
        void theFirstTaggingAddsTheCanonicalTagsAndCarriesTheScore() {
            ContentTagLedger.Step step = ledger.onContent(ContentTagState.EMPTY,
                    tagged(1, llm("kfk", "tech", 0.6), CASUAL, BEGINNER, llm("cobol", "tech", 0.9), llm("banned", "audience", 0.7)),
                    GRAPH, PROCESSED);

            TagChangeSet changes = step.changes().orElseThrow();
            assertThat(changes.events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::tagVersion,
                            TagEvent::contentVersion, TagEvent::taxonomyVersion)
                    .containsExactly(
                            tuple("beginner", TagAction.ADDED, 1L, 1L, "tx-test"),
                            tuple("casual", TagAction.ADDED, 1L, 1L, "tx-test"),
                            tuple("kafka", TagAction.ADDED, 1L, 1L, "tx-test"));
            assertThat(changes.qualityScore()).as("35 for cobol").isEqualTo(65);
            assertThat(step.state()).isEqualTo(new ContentTagState(1, 1, true, 65,
                    Map.of("kafka", new TagAssignment("kafka", "tech", 0.6, TagSource.LLM, "llm-1", "llm saw kfk"), "casual", CASUAL, "beginner", BEGINNER), Map.of()));
            assertThat(step.drops()).containsExactly(
                    new TagDrop("acme", "c1", 1, "cobol", 0.9, "llm", "not in the taxonomy", "tx-test", T0),
                    new TagDrop("acme", "c1", 1, "[blocked]", 0.7, "llm", "blocked tag", "tx-test", T0));
        }

        @Test
        void aTagTheGraphNowDropsIsRemovedWithTheDropsReason() {
            ContentTagState state = carrying(3, KAFKA, FLINK, CASUAL, BEGINNER);
            KnowledgeGraph graph = KnowledgeGraph.builder(TAXONOMY)
                    .policy("acme", new TenantPolicy(NsfwLevel.ALL_AGES, false, Set.of("flink"))).build();

            ContentTagLedger.Step step = ledger.onContent(state, tagged(3, KAFKA, FLINK, CASUAL, BEGINNER), graph, PROCESSED);

            assertThat(step.changes().orElseThrow().events())
                    .extracting(TagEvent::tag, TagEvent::action, TagEvent::reason, TagEvent::tagVersion)
                    .containsExactly(tuple("flink", TagAction.REMOVED, "blocked by the tenant's policy", 4L));
            assertThat(step.drops()).extracting(TagDrop::tag).containsExactly("[blocked]");
        }

        @Test
        void anOlderContentVersionChangesNothing() {
            ContentTagState state = carrying(3, KAFKA);

            ContentTagLedger.Step step = ledger.onContent(state, tagged(2, FLINK), GRAPH, PROCESSED);

            assertThat(step.state()).isSameAs(state);
            assertThat(step.changes()).isEmpty();
            assertThat(step.drops()).isEmpty();
        }

        @Test
        void theSameTagsAgainMakeNoVersionButRecordTheNewContentVersionAndScore() {
            ContentTagState state = carrying(3, KAFKA, CASUAL, BEGINNER);

            ContentTagLedger.Step step = ledger.onContent(state, tagged(5, KAFKA, CASUAL, BEGINNER), GRAPH, PROCESSED);

            assertThat(step.changes()).isEmpty();
            assertThat(step.state()).isEqualTo(new ContentTagState(3, 5, true, 100, state.tags(), Map.of()));
        }

        @Test
        void aDeleteRemovesEveryTagAndHasNoScore() {
            ContentTagState state = carrying(3, KAFKA, FLINK);
            ContentEvent delete = new ContentEvent("e-del", "acme", "c1", ContentOp.DELETE, 4L, T0, null, null, null,
                    null, null, null);

            ContentTagLedger.Step step = ledger.onContent(state, new TaggedContent(delete, List.of(), "tx-test"),
                    GRAPH, PROCESSED);

            TagChangeSet changes = step.changes().orElseThrow();
            assertThat(changes.deleted()).isTrue();
            assertThat(changes.qualityScore()).isEqualTo(-1);
            assertThat(changes.events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::reason)
                    .containsExactly(tuple("flink", TagAction.REMOVED, "content deleted"),
                            tuple("kafka", TagAction.REMOVED, "content deleted"));
            assertThat(step.state()).isEqualTo(new ContentTagState(4, 4, true, -1, Map.of(), Map.of()));
        }
    }

    @Nested
    class TaxonomyChanges {

        @Test
        void aMergeOntoAContentCarryingTheTargetKeepsTheHigherConfidence() throws Exception {
            ContentTagState state = carrying(3, llm("old-kafka", "tech", 0.9), llm("kafka", "tech", 0.5), FLINK);
            TaxonomyCommand merge = command(TaxonomyCommandType.MERGE, "old-kafka", "kafka");
            KnowledgeGraph after = TaxonomyChange.apply(GRAPH, merge);

            ContentTagLedger.Step step = ledger.onTaxonomyChange(state, "acme", "c1", merge, after, PROCESSED);

            String reason = "merged 'old-kafka' into 'kafka'";
            TagChangeSet changes = step.changes().orElseThrow();
            assertThat(changes.events()).containsExactly(
                    new TagEvent(TagEventIds.of("acme", "c1", 4, "kafka", TagAction.UPDATED), "acme", "c1", 2, 4, "kafka",
                            "tech", TagAction.UPDATED, 0.9, 0.5, TagSource.TAXONOMY, null, null, "tx-test+1", reason, T1,
                            PROCESSED),
                    new TagEvent(TagEventIds.of("acme", "c1", 4, "old-kafka", TagAction.REMOVED), "acme", "c1", 2, 4,
                            "old-kafka", "tech", TagAction.REMOVED, 0.0, 0.9, TagSource.TAXONOMY, "llm-1", null,
                            "tx-test+1", reason, T1, PROCESSED));
            assertThat(changes.qualityScore()).isEqualTo(80);
            assertThat(step.state()).isEqualTo(new ContentTagState(4, 2, true, 80, Map.of(
                    "kafka", new TagAssignment("kafka", "tech", 0.9, TagSource.TAXONOMY, null, reason), "flink", FLINK),
                    Map.of()));
        }

        @Test
        void aMergeOntoAContentCarryingTheTargetMoreConfidentlyOnlyRemovesTheSource() throws Exception {
            TagAssignment kafka = llm("kafka", "tech", 0.8);
            ContentTagState state = carrying(3, llm("old-kafka", "tech", 0.4), kafka);
            TaxonomyCommand merge = command(TaxonomyCommandType.MERGE, "old-kafka", "kafka");

            ContentTagLedger.Step step = ledger.onTaxonomyChange(state, "acme", "c1", merge,
                    TaxonomyChange.apply(GRAPH, merge), PROCESSED);

            assertThat(step.changes().orElseThrow().events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::source)
                    .containsExactly(tuple("old-kafka", TagAction.REMOVED, TagSource.TAXONOMY));
            assertThat(step.state().tags()).containsExactly(Map.entry("kafka", kafka));
        }

        @Test
        void aMergeOntoAContentWithoutTheTargetAddsItWithTheSourcesConfidence() throws Exception {
            ContentTagState state = carrying(3, llm("old-kafka", "tech", 0.7));
            TaxonomyCommand merge = command(TaxonomyCommandType.MERGE, "old-kafka", "kafka");

            ContentTagLedger.Step step = ledger.onTaxonomyChange(state, "acme", "c1", merge,
                    TaxonomyChange.apply(GRAPH, merge), PROCESSED);

            assertThat(step.changes().orElseThrow().events())
                    .extracting(TagEvent::tag, TagEvent::action, TagEvent::confidence, TagEvent::previousConfidence,
                            TagEvent::source)
                    .containsExactly(tuple("kafka", TagAction.ADDED, 0.7, null, TagSource.TAXONOMY),
                            tuple("old-kafka", TagAction.REMOVED, 0.0, 0.7, TagSource.TAXONOMY));
        }

        @Test
        void aRenameReplacesTheTagByItsNewId() throws Exception {
            ContentTagState state = carrying(3, KAFKA, FLINK);
            TaxonomyCommand rename = command(TaxonomyCommandType.RENAME, "kafka", "apache-kafka");
            KnowledgeGraph after = TaxonomyChange.apply(GRAPH, rename);

            ContentTagLedger.Step step = ledger.onTaxonomyChange(state, "acme", "c1", rename, after, PROCESSED);

            assertThat(step.changes().orElseThrow().events())
                    .extracting(TagEvent::tag, TagEvent::dimension, TagEvent::action, TagEvent::confidence,
                            TagEvent::reason, TagEvent::taxonomyVersion)
                    .containsExactly(
                            tuple("apache-kafka", "tech", TagAction.ADDED, 0.6, "renamed 'kafka' into 'apache-kafka'", "tx-test+1"),
                            tuple("kafka", "tech", TagAction.REMOVED, 0.0, "renamed 'kafka' into 'apache-kafka'", "tx-test+1"));
            assertThat(step.state().tags()).containsOnlyKeys("apache-kafka", "flink");
        }

        @Test
        void aBlockedTagIsRemoved() throws Exception {
            ContentTagState state = carrying(3, KAFKA, FLINK);
            TaxonomyCommand block = command(TaxonomyCommandType.BLOCK_TAG, "flink", null);

            ContentTagLedger.Step step = ledger.onTaxonomyChange(state, "acme", "c1", block,
                    TaxonomyChange.apply(GRAPH, block), PROCESSED);

            TagChangeSet changes = step.changes().orElseThrow();
            assertThat(changes.events()).extracting(TagEvent::tag, TagEvent::action, TagEvent::confidence,
                            TagEvent::previousConfidence, TagEvent::source, TagEvent::reason, TagEvent::tagVersion)
                    .containsExactly(tuple("flink", TagAction.REMOVED, 0.0, 0.4, TagSource.TAXONOMY, "tag 'flink' blocked", 4L));
            assertThat(changes.current()).containsExactly(KAFKA);
            assertThat(changes.qualityScore()).isEqualTo(80);
            assertThat(step.state()).isEqualTo(new ContentTagState(4, 2, true, 80, Map.of("kafka", KAFKA), Map.of()));
        }

        @ParameterizedTest
        @EnumSource(value = TaxonomyCommandType.class, names = {"MERGE", "RENAME", "BLOCK_TAG"})
        void aContentWithoutTheTagIsUntouched(TaxonomyCommandType type) throws Exception {
            ContentTagState state = carrying(3, FLINK);
            TaxonomyCommand command = command(type, "kafka", type == TaxonomyCommandType.BLOCK_TAG ? null
                    : type == TaxonomyCommandType.MERGE ? "java" : "apache-kafka");

            ContentTagLedger.Step step = ledger.onTaxonomyChange(state, "acme", "c1", command,
                    TaxonomyChange.apply(GRAPH, command), PROCESSED);

            assertThat(step.state()).isSameAs(state);
            assertThat(step.changes()).isEmpty();
            assertThat(step.drops()).isEmpty();
        }

        @Test
        void aCommandThatDoesNotRewriteExistingTagsIsRefused() throws Exception {
            TaxonomyCommand alias = new TaxonomyCommand("cmd-1", TaxonomyCommandType.ADD_ALIAS, null, "kafka", null,
                    Map.of("alias", "kafka-broker"), "curator", T1);

            assertThatThrownBy(() -> ledger.onTaxonomyChange(carrying(3, KAFKA), "acme", "c1", alias,
                    TaxonomyChange.apply(GRAPH, alias), PROCESSED))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ADD_ALIAS does not rewrite existing tags");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A content at content version 2 and the given tag version, scored 80, carrying the tags. */
    private static ContentTagState carrying(long tagVersion, TagAssignment... tags) {
        Map<String, TagAssignment> byTag = new HashMap<>();
        for (TagAssignment tag : tags) {
            byTag.put(tag.tag(), tag);
        }
        return new ContentTagState(tagVersion, 2, true, 80, byTag, Map.of());
    }

    private static TaggedContent tagged(long version, TagAssignment... tags) {
        ContentEvent event = new ContentEvent("e-" + version, "acme", "c1", ContentOp.UPSERT, version, T0, "title",
                "body", "en", null, null, null);
        return new TaggedContent(event, List.of(tags), "tx-test");
    }

    private static FeedbackEvent feedback(String tag, FeedbackAction action) {
        return new FeedbackEvent("f-" + tag + "-" + action, "acme", "c1", tag, action, "ana", T1);
    }

    private static TaxonomyCommand command(TaxonomyCommandType type, String tag, String target) {
        return new TaxonomyCommand("cmd-" + type, type, null, tag, target, Map.of(), "curator", T1);
    }

    private static TagAssignment llm(String tag, String dimension, double confidence) {
        return new TagAssignment(tag, dimension, confidence, TagSource.LLM, "llm-1", "llm saw " + tag);
    }

    private static TaxonomyTag tag(String id, String dimension) {
        return new TaxonomyTag(id, dimension, id, null, List.of());
    }
}
