package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTagDiffTest {

    private static final Instant OCCURRED = Instant.parse("2026-01-31T12:00:00Z");
    private static final Instant PROCESSED = Instant.parse("2026-01-31T12:00:01.500Z");
    private static final String TAXONOMY_VERSION = "tx-0123456789ab";

    private static final TagAssignment KAFKA = rule("kafka", 0.6);
    private static final TagAssignment FLINK = rule("flink", 0.3);

    @Test
    void aNewContentGetsAllItsTagsAddedAtTagVersionOne() {
        TagChangeSet changes = diff(Map.of(), 0, upsert(4, KAFKA, FLINK)).orElseThrow();

        assertThat(changes.tenant()).isEqualTo("acme");
        assertThat(changes.contentId()).isEqualTo("c1");
        assertThat(changes.contentVersion()).isEqualTo(4);
        assertThat(changes.tagVersion()).isEqualTo(1);
        assertThat(changes.deleted()).isFalse();
        assertThat(changes.occurredAt()).isEqualTo(OCCURRED);
        assertThat(changes.events()).containsExactly(
                expected(1, 4, TagAction.ADDED, FLINK, null, "matched flink"),
                expected(1, 4, TagAction.ADDED, KAFKA, null, "matched kafka"));
        assertThat(changes.current()).containsExactly(FLINK, KAFKA);
    }

    @Test
    void noChangeMakesNoVersion() {
        assertThat(diff(current(KAFKA, FLINK), 3, upsert(5, FLINK, KAFKA))).isEmpty();
    }

    @Test
    void nothingBeforeAndNothingNowMakesNoVersion() {
        assertThat(diff(Map.of(), 0, upsert(1))).isEmpty();
    }

    @Test
    void aTagNoLongerProposedIsRemovedWithItsPreviousConfidence() {
        TagChangeSet changes = diff(current(KAFKA, FLINK), 3, upsert(5, KAFKA)).orElseThrow();

        assertThat(changes.tagVersion()).isEqualTo(4);
        assertThat(changes.deleted()).isFalse();
        assertThat(changes.events()).containsExactly(expected(4, 5, TagAction.REMOVED,
                rule("flink", 0.0), 0.3, "no longer proposed for content version 5"));
        assertThat(changes.current()).containsExactly(KAFKA);
    }

    @Test
    void deletingAContentRemovesAllItsTags() {
        TagChangeSet changes = diff(current(KAFKA, FLINK), 2, deleted(6)).orElseThrow();

        assertThat(changes.deleted()).isTrue();
        assertThat(changes.tagVersion()).isEqualTo(3);
        assertThat(changes.contentVersion()).isEqualTo(6);
        assertThat(changes.events()).containsExactly(
                expected(3, 6, TagAction.REMOVED, rule("flink", 0.0), 0.3, "content deleted"),
                expected(3, 6, TagAction.REMOVED, rule("kafka", 0.0), 0.6, "content deleted"));
        assertThat(changes.current()).isEmpty();
    }

    @Test
    void deletingAContentWithoutTagsMakesNoVersion() {
        assertThat(diff(Map.of(), 4, deleted(6))).isEmpty();
    }

    @Test
    void aConfidenceChangeOfAtLeastOneStepIsAnUpdate() {
        TagAssignment stronger = rule("kafka", 0.72);

        TagChangeSet changes = diff(current(KAFKA, FLINK), 1, upsert(2, stronger, FLINK)).orElseThrow();

        assertThat(changes.events()).containsExactly(
                expected(2, 2, TagAction.UPDATED, stronger, 0.6, "matched kafka"));
        assertThat(changes.current()).containsExactly(FLINK, stronger);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"0.6, 0.6004", "0.6, 0.5991", "0.3, 0.3009", "0.0, 0.0009"})
    void aConfidenceChangeBelowOneStepIsNoChange(double before, double after) {
        assertThat(diff(current(rule("kafka", before)), 1, upsert(2, rule("kafka", after)))).isEmpty();
    }

    /** Confidences are compared "at a precision of 0.001": a change of exactly 0.001 counts. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"0.5, 0.501", "0.6, 0.601", "0.3, 0.299", "0.117, 0.118", "0.101, 0.102", "0.1241, 0.1251"})
    void aConfidenceChangeOfExactlyOneStepIsAnUpdateWhateverTheValues(double before, double after) {
        Optional<TagChangeSet> changes = diff(current(rule("kafka", before)), 1, upsert(2, rule("kafka", after)));

        assertThat(changes).isPresent();
        assertThat(changes.get().events()).extracting(TagEvent::action).containsExactly(TagAction.UPDATED);
    }

    @Test
    void aSourceChangeIsAnUpdateEvenAtTheSameConfidence() {
        TagAssignment byUser = new TagAssignment("kafka", "tech", 0.6, TagSource.USER, null, "tagged by author");

        TagChangeSet changes = diff(current(KAFKA), 1, upsert(2, byUser)).orElseThrow();

        assertThat(changes.events()).containsExactly(
                expected(2, 2, TagAction.UPDATED, byUser, 0.6, "tagged by author"));
    }

    @Test
    void aChangeSetHoldsOnlyTheChangedTagsButLeavesTheWholeSet() {
        TagAssignment upbeat = rule("upbeat", 0.9);
        TagAssignment weaker = rule("kafka", 0.3);
        Map<String, TagAssignment> before = current(KAFKA, FLINK, rule("java", 0.6));

        TagChangeSet changes = diff(before, 7, upsert(9, weaker, rule("java", 0.6), upbeat)).orElseThrow();

        assertThat(changes.events())
                .extracting(TagEvent::tag, TagEvent::action, TagEvent::tagVersion)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("flink", TagAction.REMOVED, 8L),
                        org.assertj.core.groups.Tuple.tuple("kafka", TagAction.UPDATED, 8L),
                        org.assertj.core.groups.Tuple.tuple("upbeat", TagAction.ADDED, 8L));
        assertThat(changes.current()).extracting(TagAssignment::tag).containsExactly("java", "kafka", "upbeat");
    }

    @Test
    void sortsEventsByTagId() {
        TagChangeSet changes = diff(Map.of(), 0, upsert(1, rule("zeta", 0.5), rule("alpha", 0.5), rule("mid", 0.5)))
                .orElseThrow();

        assertThat(changes.events()).extracting(TagEvent::tag).containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void eventIdsAreDeterministicNameBasedUuids() {
        TaggedContent next = upsert(5, KAFKA, FLINK);

        TagChangeSet first = diff(current(rule("old", 0.5)), 2, next).orElseThrow();
        TagChangeSet again = ContentTagDiff.diff(current(rule("old", 0.5)), 2, next, PROCESSED.plusSeconds(60))
                .orElseThrow();

        assertThat(again.events()).extracting(TagEvent::eventId)
                .containsExactlyElementsOf(first.events().stream().map(TagEvent::eventId).toList());
        assertThat(first.events()).allSatisfy(e -> {
            assertThat(e.eventId()).isEqualTo(TagEventIds.of("acme", "c1", 3, e.tag(), e.action()));
            assertThat(UUID.fromString(e.eventId()).version()).isEqualTo(3);
        });
        assertThat(first.events()).extracting(TagEvent::eventId).doesNotHaveDuplicates();
    }

    @Test
    void eventIdsDifferByTagVersionActionTagAndContent() {
        String id = TagEventIds.of("acme", "c1", 1, "kafka", TagAction.ADDED);

        assertThat(TagEventIds.of("acme", "c1", 1, "kafka", TagAction.ADDED)).isEqualTo(id);
        assertThat(TagEventIds.of("acme", "c1", 2, "kafka", TagAction.ADDED)).isNotEqualTo(id);
        assertThat(TagEventIds.of("acme", "c1", 1, "kafka", TagAction.REMOVED)).isNotEqualTo(id);
        assertThat(TagEventIds.of("acme", "c1", 1, "flink", TagAction.ADDED)).isNotEqualTo(id);
        assertThat(TagEventIds.of("acme", "c2", 1, "kafka", TagAction.ADDED)).isNotEqualTo(id);
        assertThat(TagEventIds.of("other", "c1", 1, "kafka", TagAction.ADDED)).isNotEqualTo(id);
        // The separator keeps shifted boundaries apart: ("a", "bc") is not ("ab", "c").
        assertThat(TagEventIds.of("a", "bc", 1, "kafka", TagAction.ADDED))
                .isNotEqualTo(TagEventIds.of("ab", "c", 1, "kafka", TagAction.ADDED));
    }

    @Test
    void theSameTagAtTheNextTagVersionGetsANewId() {
        TagChangeSet added = diff(Map.of(), 0, upsert(1, KAFKA)).orElseThrow();
        TagChangeSet updated = diff(current(KAFKA), 1, upsert(2, rule("kafka", 0.9))).orElseThrow();

        assertThat(updated.events().get(0).eventId()).isNotEqualTo(added.events().get(0).eventId());
    }

    @Test
    void carriesTheContentEventsVersionTimeAndTaxonomyVersionOntoEveryEvent() {
        TagChangeSet changes = diff(current(FLINK), 10, upsert(42, KAFKA)).orElseThrow();

        assertThat(changes.events()).hasSize(2).allSatisfy(e -> {
            assertThat(e.tenant()).isEqualTo("acme");
            assertThat(e.contentId()).isEqualTo("c1");
            assertThat(e.contentVersion()).isEqualTo(42);
            assertThat(e.tagVersion()).isEqualTo(11);
            assertThat(e.occurredAt()).isEqualTo(OCCURRED);
            assertThat(e.processedAt()).isEqualTo(PROCESSED);
            assertThat(e.taxonomyVersion()).isEqualTo(TAXONOMY_VERSION);
            assertThat(e.promptVersion()).isNull();
            assertThat(e.contentKey()).isEqualTo("acme/c1");
        });
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Optional<TagChangeSet> diff(Map<String, TagAssignment> current, long tagVersion, TaggedContent next) {
        return ContentTagDiff.diff(current, tagVersion, next, PROCESSED);
    }

    private static TaggedContent upsert(long contentVersion, TagAssignment... tags) {
        return new TaggedContent(event(ContentOp.UPSERT, contentVersion), List.of(tags), TAXONOMY_VERSION);
    }

    private static TaggedContent deleted(long contentVersion) {
        return new TaggedContent(event(ContentOp.DELETE, contentVersion), List.of(), TAXONOMY_VERSION);
    }

    private static ContentEvent event(ContentOp op, long version) {
        return new ContentEvent("e" + version, "acme", "c1", op, version, OCCURRED, "title", "body", "en", null,
                null, null);
    }

    private static Map<String, TagAssignment> current(TagAssignment... tags) {
        Map<String, TagAssignment> current = new LinkedHashMap<>();
        for (TagAssignment tag : tags) {
            current.put(tag.tag(), tag);
        }
        return current;
    }

    private static TagAssignment rule(String tag, double confidence) {
        return new TagAssignment(tag, "tech", confidence, TagSource.RULE, "keyword-matcher/1", "matched " + tag);
    }

    /** The tag event the diff should write for {@code tag} (whose confidence is the new one). */
    private static TagEvent expected(long tagVersion, long contentVersion, TagAction action, TagAssignment tag,
            Double previousConfidence, String reason) {
        return new TagEvent(TagEventIds.of("acme", "c1", tagVersion, tag.tag(), action), "acme", "c1",
                contentVersion, tagVersion, tag.tag(), tag.dimension(), action, tag.confidence(), previousConfidence,
                tag.source(), tag.model(), null, TAXONOMY_VERSION, reason, OCCURRED, PROCESSED);
    }
}
