package io.tagstream.udfs.suggest;

import io.tagstream.schemas.SessionPhase;
import io.tagstream.schemas.SuggestDirection;
import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything a suggestion session remembers between turns. Immutable: each turn makes the next.
 *
 * @param idea the idea, with every clarification appended
 * @param directions the directions proposed (exploring and later)
 * @param result the chosen direction as refined so far, then the final one; null before a choice
 * @param refinements the normalised texts of the refinements in a row, latest last (cleared by
 *     anything else)
 * @param excluded tags a refinement removed: they stay out, even when something implies them
 * @param progress counts the turns taken; an idle check names the progress it was sent at, and only
 *     aborts if nothing happened since
 * @param lastProgressAt event time of the latest turn
 * @param updatedAt event time of the latest change: the latest turn, or the idle timeout that ended it
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record SessionState(
        String sessionId,
        String tenant,
        String idea,
        SessionPhase phase,
        int turns,
        double cost,
        long inputTokens,
        long outputTokens,
        Map<String, Integer> toolCalls,
        List<SuggestDirection> directions,
        SuggestDirection result,
        List<String> refinements,
        List<String> excluded,
        long progress,
        Instant lastProgressAt,
        Instant updatedAt,
        String abortReason,
        boolean refused) {

    public SessionState {
        toolCalls = toolCalls == null ? new TreeMap<>() : new TreeMap<>(toolCalls);
        directions = directions == null ? new ArrayList<>() : new ArrayList<>(directions);
        refinements = refinements == null ? new ArrayList<>() : new ArrayList<>(refinements);
        excluded = excluded == null ? new ArrayList<>() : new ArrayList<>(excluded);
    }

    static SessionState open(String sessionId, String tenant, String idea) {
        return new SessionState(sessionId, tenant, idea, SessionPhase.UNDERSTANDING, 0, 0.0, 0, 0, Map.of(), List.of(),
                null, List.of(), List.of(), 0, null, null, null, false);
    }

    int callsOf(String tool) {
        return toolCalls.getOrDefault(tool, 0);
    }
}
