package io.tagstream.udfs.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CooccurrenceDeltaTest {
    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");

    @Test
    void aNewContentCountsItsTagsItsPairsAndItself() {
        List<String> deltas = describe(changes(List.of("a", "b", "c"), event("a", TagAction.ADDED),
                event("b", TagAction.ADDED), event("c", TagAction.ADDED)));

        assertThat(deltas).containsExactly("|+1", "a|+1", "a|b+1", "a|c+1", "b|+1", "b|c+1", "c|+1");
    }

    @Test
    void aChangedTagSetMovesOnlyWhatChanged() {
        // before {a, b}, after {a, c}; an UPDATED tag changes no counts
        List<String> deltas = describe(changes(List.of("a", "c"), event("b", TagAction.REMOVED),
                event("c", TagAction.ADDED), event("a", TagAction.UPDATED)));

        assertThat(deltas).containsExactly("a|c+1", "c|+1", "a|b-1", "b|-1");
    }

    @Test
    void aDeletedContentLeavesEveryCount() {
        List<String> deltas = describe(changes(List.of(), event("a", TagAction.REMOVED), event("b", TagAction.REJECTED)));

        assertThat(deltas).containsExactly("|-1", "a|-1", "a|b-1", "b|-1");
    }

    private static List<String> describe(TagChangeSet changes) {
        List<String> out = new ArrayList<>();
        for (CooccurrenceDelta d : CooccurrenceDelta.of(changes)) {
            assertThat(d.tenant()).isEqualTo("acme");
            out.add(d.tagA() + "|" + d.tagB() + (d.delta() > 0 ? "+" : "") + d.delta());
        }
        return out;
    }

    private static TagChangeSet changes(List<String> current, TagEvent... events) {
        List<TagAssignment> tags = current.stream()
                .map(t -> new TagAssignment(t, "d", 0.5, TagSource.RULE, null, "r")).toList();
        return new TagChangeSet("acme", "c1", 2, 2, false, T0, List.of(events), tags, -1);
    }

    private static TagEvent event(String tag, TagAction action) {
        return new TagEvent("id-" + tag, "acme", "c1", 2, 2, tag, "d", action, 0.5, null, TagSource.RULE, null, null,
                null, null, T0, null);
    }
}
