package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to re-tag of one stored content after a model or taxonomy change: the version the
 * tagging job accepted last — its stored events go through the same {@link VersionGate}, in the
 * order {@code content.events} holds them — as a re-tag request at the re-tag's effective time.
 * The tagging job re-tags it with its current model and knowledge graph and records only what
 * changed ({@link ContentTagLedger#onRetag}); "as of" queries before the effective time still
 * show the old tags.
 */
public final class RetagRequests {

    public enum Outcome {
        /** A request for the content's latest version. */
        REQUESTED,
        /** Its latest version deletes it: nothing to re-tag. */
        DELETED,
        /** Erased: never re-tagged. */
        ERASED
    }

    /** @param request present when {@link Outcome#REQUESTED} */
    public record Result(Outcome outcome, Optional<ContentEvent> request) {}

    private final VersionGate gate;
    private final Instant effectiveAt;

    public RetagRequests(VersionGate gate, Instant effectiveAt) {
        this.gate = gate;
        this.effectiveAt = effectiveAt;
    }

    /** @param stored the content's events in the order content.events holds them */
    public Result of(List<ContentEvent> stored, boolean erased) {
        if (erased) {
            return new Result(Outcome.ERASED, Optional.empty());
        }
        ContentEvent latest = null;
        GateState gateState = null;
        for (ContentEvent event : stored) {
            VersionGate.Outcome admitted = gate.admit(gateState, event);
            gateState = admitted.state();
            if (admitted.verdict() == VersionGate.Verdict.ACCEPTED) {
                latest = admitted.event();
            }
        }
        if (latest == null || latest.op() == ContentOp.DELETE) {
            return new Result(Outcome.DELETED, Optional.empty());
        }
        // The version the gate gave it (versionless contents are numbered), the re-tag's time.
        return new Result(Outcome.REQUESTED, Optional.of(new ContentEvent("retag:" + latest.eventId(), latest.tenant(),
                latest.contentId(), latest.op(), latest.version(), effectiveAt, latest.title(), latest.body(),
                latest.lang(), latest.source(), latest.metadata(), latest.userTags())));
    }
}
