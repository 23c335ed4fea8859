package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.udfs.content.VersionGate.Outcome;
import io.tagstream.udfs.content.VersionGate.Verdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionGateTest {

    private final VersionGate gate = new VersionGate(3);

    @Test
    void acceptsTheFirstEventWithItsVersion() {
        Outcome outcome = gate.admit(null, event("e1", 5L));

        assertThat(outcome.verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(outcome.event()).isEqualTo(event("e1", 5L));
        assertThat(outcome.state()).isEqualTo(new GateState(5, List.of("e1")));
    }

    @Test
    void numbersAVersionlessFirstEventOne() {
        Outcome outcome = gate.admit(null, event("e1", null));

        assertThat(outcome.verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(outcome.event().version()).isEqualTo(1L);
        assertThat(outcome.event()).isEqualTo(event("e1", 1L));
        assertThat(outcome.state()).isEqualTo(new GateState(1, List.of("e1")));
    }

    @Test
    void acceptsAFirstEventAtVersionZero() {
        Outcome outcome = gate.admit(null, event("e1", 0L));

        assertThat(outcome.verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(outcome.state()).isEqualTo(new GateState(0, List.of("e1")));
    }

    @Test
    void acceptsAHigherVersion() {
        GateState state = new GateState(5, List.of("e1"));

        Outcome outcome = gate.admit(state, event("e2", 9L));

        assertThat(outcome.verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(outcome.event().version()).isEqualTo(9L);
        assertThat(outcome.state()).isEqualTo(new GateState(9, List.of("e1", "e2")));
    }

    @Test
    void dropsARepeatedEventIdAndKeepsTheState() {
        GateState state = new GateState(5, List.of("e1", "e2"));

        Outcome outcome = gate.admit(state, event("e2", 6L));

        assertThat(outcome.verdict()).isEqualTo(Verdict.DUPLICATE);
        assertThat(outcome.event()).isNull();
        assertThat(outcome.state()).isEqualTo(new GateState(5, List.of("e1", "e2")));
    }

    @Test
    void aDuplicateWinsOverStaleness() {
        Outcome outcome = gate.admit(new GateState(5, List.of("e1")), event("e1", 5L));

        assertThat(outcome.verdict()).isEqualTo(Verdict.DUPLICATE);
    }

    @Test
    void dropsAVersionAtOrBelowTheLastAcceptedOne() {
        GateState state = new GateState(5, List.of("e1"));

        Outcome equal = gate.admit(state, event("e2", 5L));
        Outcome lower = gate.admit(state, event("e3", 4L));

        assertThat(equal.verdict()).isEqualTo(Verdict.STALE);
        assertThat(lower.verdict()).isEqualTo(Verdict.STALE);
        assertThat(equal.event()).isNull();
        assertThat(equal.state()).isEqualTo(state);
        assertThat(lower.state()).isEqualTo(state);
    }

    @Test
    void numbersVersionlessEventsAfterTheLastAcceptedVersion() {
        Outcome first = gate.admit(null, event("e1", 7L));
        Outcome second = gate.admit(first.state(), event("e2", null));
        Outcome third = gate.admit(second.state(), event("e3", null));

        assertThat(second.event().version()).isEqualTo(8L);
        assertThat(third.event().version()).isEqualTo(9L);
        assertThat(third.state()).isEqualTo(new GateState(9, List.of("e1", "e2", "e3")));
    }

    @Test
    void aVersionedEventAfterVersionlessOnesMustBeatTheirNumbers() {
        Outcome numbered = gate.admit(gate.admit(null, event("e1", null)).state(), event("e2", null));

        assertThat(gate.admit(numbered.state(), event("e3", 2L)).verdict()).isEqualTo(Verdict.STALE);
        assertThat(gate.admit(numbered.state(), event("e3", 3L)).verdict()).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void remembersOnlyTheLastNEventIdsOldestFirst() {
        GateState state = null;
        for (int i = 1; i <= 5; i++) {
            state = gate.admit(state, event("e" + i, (long) i)).state();
        }

        assertThat(state).isEqualTo(new GateState(5, List.of("e3", "e4", "e5")));
    }

    @Test
    void anEventIdOlderThanTheWindowIsJudgedByItsVersionAlone() {
        GateState state = new GateState(5, List.of("e3", "e4", "e5"));

        Outcome newer = gate.admit(state, event("e1", 6L));
        Outcome older = gate.admit(state, event("e2", 2L));

        assertThat(newer.verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(newer.state()).isEqualTo(new GateState(6, List.of("e4", "e5", "e1")));
        assertThat(older.verdict()).isEqualTo(Verdict.STALE);
    }

    @Test
    void doesNotChangeTheStateItIsGiven() {
        GateState state = new GateState(1, List.of("e1"));

        gate.admit(state, event("e2", 2L));

        assertThat(state).isEqualTo(new GateState(1, List.of("e1")));
    }

    @Test
    void keepsEveryOtherFieldOfTheEvent() {
        ContentEvent event = new ContentEvent("e1", "acme", "c1", ContentOp.DELETE, null,
                Instant.parse("2026-01-31T12:00:00Z"), "t", "b", "en", "cms",
                java.util.Map.of("k", "v"), List.of("kafka"));

        assertThat(gate.admit(null, event).event()).isEqualTo(event.withVersion(1));
    }

    @Test
    void rejectsANonPositiveWindow() {
        assertThatThrownBy(() -> new VersionGate(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rememberedEventIds must be positive, was 0");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static ContentEvent event(String eventId, Long version) {
        return new ContentEvent(eventId, "acme", "c1", ContentOp.UPSERT, version,
                Instant.parse("2026-01-31T12:00:00Z"), "title", "body", "en", null, null, null);
    }
}
