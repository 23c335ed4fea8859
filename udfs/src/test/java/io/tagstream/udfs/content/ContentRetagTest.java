package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.tagging.KeywordTagger;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentRetagTest {
    private static final Instant WRITTEN = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant EFFECTIVE = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant PROCESSED = Instant.parse("2026-06-01T00:00:05Z");

    private static final Taxonomy OLD = taxonomy("tx-old", tag("kafka", "Kafka"), tag("cooking", "Cooking"));
    private static final Taxonomy NEW = taxonomy("tx-new", tag("kafka", "Kafka"), tag("flink", "Flink"));

    @Test
    void emitsOnlyTheDifferenceAsTheNextVersionWithRetagReasonsAtTheEffectiveTime() {
        List<TagEvent> log = tagged(OLD, content("e1", 1L, "Kafka cooking with Flink"), 0);

        ContentRetag.Result result = retag(List.of(content("e1", 1L, "Kafka cooking with Flink")), log);

        assertThat(result.outcome()).isEqualTo(ContentRetag.Outcome.RETAGGED);
        TagChangeSet changes = result.changes().orElseThrow();
        assertThat(changes.tagVersion()).isEqualTo(2);
        assertThat(changes.occurredAt()).isEqualTo(EFFECTIVE);
        assertThat(changes.events()).extracting(e -> e.action() + " " + e.tag() + " v" + e.tagVersion() + " c"
                        + e.contentVersion() + " " + e.taxonomyVersion() + " " + e.occurredAt() + " " + e.reason())
                .containsExactly(
                        "REMOVED cooking v2 c1 tx-new 2026-06-01T00:00:00Z retag: no longer proposed for content version 1",
                        "ADDED flink v2 c1 tx-new 2026-06-01T00:00:00Z retag: matched \"flink\" in title");
        assertThat(changes.events()).allSatisfy(e -> {
            assertThat(e.eventId()).isEqualTo(TagEventIds.of("acme", "c1", 2, e.tag(), e.action()));
            assertThat(e.processedAt()).isEqualTo(PROCESSED);
        });
        assertThat(result.state().tagVersion()).isEqualTo(2);
        assertThat(result.state().tags()).extracting(TagAssignment::tag).containsExactlyInAnyOrder("kafka", "flink");
    }

    @Test
    void theSameTagsMakeNoEventsAndKeepTheLoggedState() {
        List<TagEvent> log = tagged(OLD, content("e1", 1L, "Kafka"), 0);

        ContentRetag.Result result = retag(List.of(content("e1", 1L, "Kafka")), log);

        assertThat(result.outcome()).isEqualTo(ContentRetag.Outcome.UNCHANGED);
        assertThat(result.changes()).isEmpty();
        assertThat(result.state()).isEqualTo(new ContentTagSnapshot("acme/c1", 1,
                List.of(new ContentTagReplay().applyAll(log).current().get("kafka"))));
    }

    @Test
    void reTagsTheVersionTheGateAcceptedLastNotTheLastStoredEvent() {
        ContentEvent newest = content("e2", 2L, "Flink");
        List<ContentEvent> stored = List.of(content("e1", 1L, "Kafka"), newest,
                content("e3", 1L, "Cooking"),          // stale: a lower version after a higher one
                content("e2", 2L, "Kafka"));            // a duplicate event id
        List<TagEvent> log = tagged(OLD, content("e1", 1L, "Kafka"), 0);

        ContentRetag.Result result = retag(stored, log);

        assertThat(result.changes().orElseThrow().events()).extracting(e -> e.action() + " " + e.tag() + " c" + e.contentVersion())
                .containsExactly("ADDED flink c2", "REMOVED kafka c2");
    }

    @Test
    void versionlessEventsAreNumberedInStoredOrder() {
        List<ContentEvent> stored = List.of(content("e1", null, "Kafka"), content("e2", null, "Kafka and Flink"));

        ContentRetag.Result result = retag(stored, List.of());

        TagChangeSet changes = result.changes().orElseThrow();
        assertThat(changes.contentVersion()).isEqualTo(2);
        assertThat(changes.tagVersion()).isEqualTo(1);
        assertThat(changes.events()).extracting(TagEvent::tag).containsExactly("flink", "kafka");
    }

    @Test
    void aDeletedContentStaysDeletedAndADeleteKeepsItsReason() {
        ContentEvent deleted = new ContentEvent("e2", "acme", "c1", ContentOp.DELETE, 2L, WRITTEN, null, null, null, null,
                null, null);
        List<TagEvent> log = tagged(OLD, content("e1", 1L, "Kafka"), 0);

        ContentRetag.Result result = retag(List.of(content("e1", 1L, "Kafka"), deleted), log);

        // the log missed the delete (say it arrived after the tagging job stopped): the re-tag applies it
        TagChangeSet changes = result.changes().orElseThrow();
        assertThat(changes.deleted()).isTrue();
        assertThat(changes.events()).extracting(TagEvent::reason).containsExactly(ContentTagDiff.DELETED_REASON);
        assertThat(new ContentTagReplay().applyAll(log).applyAll(changes.events()).deleted()).isTrue();
    }

    @Test
    void withoutStoredTextTheLoggedStateIsKept() {
        List<TagEvent> log = tagged(OLD, content("e1", 1L, "Kafka"), 0);

        ContentRetag.Result result = retag(List.of(), log);

        assertThat(result.outcome()).isEqualTo(ContentRetag.Outcome.NO_STORED_CONTENT);
        assertThat(result.changes()).isEmpty();
        assertThat(result.state().tagVersion()).isEqualTo(1);
    }

    @Test
    void anErasedContentIsNeverReTaggedAndLeavesNoState() {
        ContentRetag.Result result = new ContentRetag(tagging(NEW), new VersionGate(8), EFFECTIVE)
                .retag("acme/c1", List.of(content("e1", 1L, "Flink")), List.of(), true, PROCESSED);

        assertThat(result.outcome()).isEqualTo(ContentRetag.Outcome.ERASED);
        assertThat(result.changes()).isEmpty();
        assertThat(result.state()).isNull();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static ContentRetag.Result retag(List<ContentEvent> stored, List<TagEvent> log) {
        return new ContentRetag(tagging(NEW), new VersionGate(8), EFFECTIVE).retag("acme/c1", stored, log, false, PROCESSED);
    }

    /** The events the tagging job wrote for {@code event} with {@code taxonomy} on top of {@code version}. */
    private static List<TagEvent> tagged(Taxonomy taxonomy, ContentEvent event, long version) {
        return new ArrayList<>(ContentTagDiff.diff(Map.of(), version, tagging(taxonomy).tag(event), WRITTEN)
                .orElseThrow().events());
    }

    private static ContentTagging tagging(Taxonomy taxonomy) {
        return new ContentTagging(taxonomy, new KeywordTagger(taxonomy), 3);
    }

    private static ContentEvent content(String eventId, Long version, String title) {
        return new ContentEvent(eventId, "acme", "c1", ContentOp.UPSERT, version, WRITTEN, title, "", "en", null, null, null);
    }

    private static Taxonomy taxonomy(String version, TaxonomyTag... tags) {
        return new Taxonomy(version, List.of(new Dimension("tech", "Technology", null)), List.of(tags));
    }

    private static TaxonomyTag tag(String id, String label) {
        return new TaxonomyTag(id, "tech", label, null, List.of());
    }
}
