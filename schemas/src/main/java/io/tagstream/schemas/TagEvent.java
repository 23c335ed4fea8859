package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One change to one tag of one content: the unit of the permanent log ({@code tag.events},
 * PostgreSQL {@code tag_events}); see {@code schemas/tag-event.schema.json}.
 *
 * @param eventId deterministic (derived from content, tag version, tag and action), so a replay
 *     writes the same id and sinks can drop it
 * @param tagVersion per content, +1 for each change set
 * @param previousConfidence {@code null} for {@link TagAction#ADDED}
 * @param occurredAt event time: when the content event that caused this change occurred
 * @param processedAt processing time, for latency figures only; never used for logic
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TagEvent(
        String eventId,
        String tenant,
        String contentId,
        long contentVersion,
        long tagVersion,
        String tag,
        String dimension,
        TagAction action,
        double confidence,
        Double previousConfidence,
        TagSource source,
        String model,
        String promptVersion,
        String taxonomyVersion,
        String reason,
        Instant occurredAt,
        Instant processedAt) {

    public String contentKey() {
        return ContentKey.of(tenant, contentId);
    }
}
