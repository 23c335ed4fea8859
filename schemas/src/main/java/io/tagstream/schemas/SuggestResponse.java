package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The session's answer to one turn (or its abort after a timeout) on {@code suggest.responses},
 * keyed by session id; see {@code schemas/suggest-response.schema.json}.
 *
 * @param requestId the request answered; absent when no request caused it (the idle timeout)
 * @param turn turns used so far
 * @param message what the session says to the person, in a sentence
 * @param questions what to clarify, when the idea is too vague (phase {@code understanding})
 * @param directions the proposed directions (phase {@code exploring} and later)
 * @param result the chosen direction as refined so far; the final tags once {@code completed}, the
 *     best result so far once {@code aborted}
 * @param refused the idea itself was refused by the safety policy ({@code abortReason} says why,
 *     never naming a blocked tag)
 * @param cost model cost spent by the session so far, in US dollars
 * @param toolCalls calls per tool so far
 * @param occurredAt event time of the turn (for a timeout: the last progress plus the timeout)
 */
@TypeInfo(RecordTypeInfoFactory.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuggestResponse(
        String sessionId,
        String requestId,
        String tenant,
        int turn,
        SessionPhase phase,
        String message,
        List<String> questions,
        List<SuggestDirection> directions,
        SuggestDirection result,
        boolean refused,
        String abortReason,
        double cost,
        long inputTokens,
        long outputTokens,
        Map<String, Integer> toolCalls,
        Instant occurredAt) {

    public SuggestResponse {
        questions = questions == null ? new ArrayList<>() : new ArrayList<>(questions);
        directions = directions == null ? new ArrayList<>() : new ArrayList<>(directions);
        toolCalls = toolCalls == null ? new TreeMap<>() : new TreeMap<>(toolCalls);
    }
}
