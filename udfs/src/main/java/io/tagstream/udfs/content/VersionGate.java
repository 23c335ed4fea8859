package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, per content, whether an event moves the content forward. A repeated event id is a
 * duplicate (a producer retry, a replay); a version at or below the last accepted one is stale
 * (it arrived out of order and a newer state already won). Events without a version are
 * numbered in arrival order.
 */
public final class VersionGate {

    public enum Verdict {
        ACCEPTED,
        DUPLICATE,
        STALE
    }

    /** @param event the accepted event with its version filled in; {@code null} unless accepted */
    public record Outcome(Verdict verdict, ContentEvent event, GateState state) {}

    private final int rememberedEventIds;

    /** @param rememberedEventIds how many recent event ids per content are kept to spot duplicates */
    public VersionGate(int rememberedEventIds) {
        if (rememberedEventIds <= 0) {
            throw new IllegalArgumentException("rememberedEventIds must be positive, was " + rememberedEventIds);
        }
        this.rememberedEventIds = rememberedEventIds;
    }

    /** @param state {@code null} for a content never seen before */
    public Outcome admit(GateState state, ContentEvent event) {
        if (state != null && state.recentEventIds().contains(event.eventId())) {
            return new Outcome(Verdict.DUPLICATE, null, state);
        }
        long last = state == null ? 0 : state.lastVersion();
        if (event.version() != null && state != null && event.version() <= last) {
            return new Outcome(Verdict.STALE, null, state);
        }
        long version = event.version() != null ? event.version() : last + 1;

        List<String> ids = new ArrayList<>(state == null ? List.of() : state.recentEventIds());
        ids.add(event.eventId());
        if (ids.size() > rememberedEventIds) {
            ids = new ArrayList<>(ids.subList(ids.size() - rememberedEventIds, ids.size()));
        }
        return new Outcome(Verdict.ACCEPTED, event.withVersion(version), new GateState(version, ids));
    }
}
