package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One turn of a tag-suggestion session on {@code suggest.requests}, keyed by session id; see
 * {@code schemas/suggest-request.schema.json}.
 *
 * @param choice 1-based number of a proposed direction, on a {@code CONTINUE}
 * @param finish on a {@code CONTINUE}: finalise the chosen (or the best) direction now
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuggestRequest(
        String requestId,
        String sessionId,
        String tenant,
        SuggestAction action,
        String text,
        Integer choice,
        boolean finish,
        Instant occurredAt) {}
