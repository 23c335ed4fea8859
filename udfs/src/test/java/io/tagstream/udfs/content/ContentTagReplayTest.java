package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentTagReplayTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    @Test
    void replayingTheDiffsEventsGivesTheDiffsTagSetAfterEveryVersion() {
        Random random = new Random(7);
        List<String> vocabulary = List.of("a", "b", "c", "d", "e", "f");
        ContentTagReplay replay = new ContentTagReplay();
        Map<String, TagAssignment> state = Map.of();
        long tagVersion = 0;
        for (int contentVersion = 1; contentVersion <= 200; contentVersion++) {
            boolean delete = random.nextInt(10) == 0;
            List<TagAssignment> next = new ArrayList<>();
            if (!delete) {
                for (String tag : vocabulary) {
                    if (random.nextBoolean()) {
                        next.add(tag(tag, random.nextInt(4) / 4.0, random.nextBoolean() ? TagSource.RULE : TagSource.USER));
                    }
                }
            }
            var changes = ContentTagDiff.diff(state, tagVersion,
                    tagged(contentVersion, delete ? ContentOp.DELETE : ContentOp.UPSERT, next), T0);
            if (changes.isEmpty()) {
                continue;
            }
            List<TagEvent> shuffled = new ArrayList<>(changes.get().events());
            Collections.shuffle(shuffled, random);
            replay.applyAll(shuffled);

            assertThat(replay.current()).isEqualTo(asMap(changes.get().current()));
            assertThat(replay.tagVersion()).isEqualTo(changes.get().tagVersion());
            assertThat(replay.contentVersion()).isEqualTo(contentVersion);
            assertThat(replay.deleted()).as("deleted after content version %d", contentVersion).isEqualTo(delete);
            assertThat(replay.state().current()).containsExactlyInAnyOrderElementsOf(changes.get().current());
            state = asMap(changes.get().current());
            tagVersion = changes.get().tagVersion();
        }
        assertThat(tagVersion).isGreaterThan(100);
    }

    @Test
    void aTagIsCarriedSinceItWasLastAddedAndTheLatestEventDescribesIt() {
        ContentTagReplay replay = new ContentTagReplay().applyAll(List.of(
                event(1, "kafka", TagAction.ADDED, 0.6, 0),
                event(2, "kafka", TagAction.UPDATED, 0.9, 1),
                event(3, "kafka", TagAction.REMOVED, 0.0, 2),
                event(4, "kafka", TagAction.ADDED, 0.5, 3),
                event(5, "kafka", TagAction.CONFIRMED, 0.7, 4)));

        assertThat(replay.tags()).singleElement().satisfies(carried -> {
            assertThat(carried.since()).isEqualTo(T0.plusSeconds(3));
            assertThat(carried.latest().tagVersion()).isEqualTo(5);
            assertThat(carried.assignment().confidence()).isEqualTo(0.7);
        });
        assertThat(replay.occurredAt()).isEqualTo(T0.plusSeconds(4));
    }

    @Test
    void aRejectedTagIsNoLongerCarried() {
        ContentTagReplay replay = new ContentTagReplay().applyAll(List.of(
                event(1, "kafka", TagAction.ADDED, 0.6, 0),
                event(1, "flink", TagAction.ADDED, 0.6, 0),
                event(2, "kafka", TagAction.REJECTED, 0.0, 1)));

        assertThat(replay.current()).containsOnlyKeys("flink");
        assertThat(replay.deleted()).isFalse();
    }

    @Test
    void refusesEventsOutOfVersionOrderOrOfAnotherContent() {
        ContentTagReplay replay = new ContentTagReplay().apply(event(2, "kafka", TagAction.ADDED, 0.6, 0));

        assertThatThrownBy(() -> replay.apply(event(1, "flink", TagAction.ADDED, 0.6, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v1 of acme/c1 came after v2");
        TagEvent other = new TagEvent("x", "acme", "c2", 1, 3, "kafka", "tech", TagAction.ADDED, 0.6, null,
                TagSource.RULE, null, null, null, null, T0, null);
        assertThatThrownBy(() -> replay.apply(other)).hasMessageContaining("belongs to acme/c2, not to acme/c1");
    }

    @Test
    void anEmptyReplayHasNoState() {
        ContentTagReplay replay = new ContentTagReplay();

        assertThat(replay.isEmpty()).isTrue();
        assertThat(replay.tagVersion()).isZero();
        assertThatThrownBy(replay::state).isInstanceOf(IllegalStateException.class);
    }

    private static TagEvent event(long tagVersion, String tag, TagAction action, double confidence, int second) {
        return new TagEvent(TagEventIds.of("acme", "c1", tagVersion, tag, action), "acme", "c1", tagVersion, tagVersion,
                tag, "tech", action, confidence, null, TagSource.RULE, "m", null, "tx", "why", T0.plusSeconds(second), null);
    }

    private static TagAssignment tag(String tag, double confidence, TagSource source) {
        return new TagAssignment(tag, "tech", confidence, source, null, "because " + tag);
    }

    private static TaggedContent tagged(long version, ContentOp op, List<TagAssignment> tags) {
        ContentEvent event = new ContentEvent("e" + version, "acme", "c1", op, version, T0.plusSeconds(version),
                "t", "b", null, null, null, null);
        return new TaggedContent(event, tags, "tx");
    }

    private static Map<String, TagAssignment> asMap(List<TagAssignment> tags) {
        Map<String, TagAssignment> map = new java.util.TreeMap<>();
        tags.forEach(t -> map.put(t.tag(), t));
        return map;
    }
}
