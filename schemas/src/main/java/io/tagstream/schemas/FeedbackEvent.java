package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A user's feedback on {@code tag.feedback}; see {@code schemas/feedback-event.schema.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackEvent(
        String eventId,
        String tenant,
        String contentId,
        String tag,
        FeedbackAction action,
        String actor,
        Instant occurredAt) {}
