package io.tagstream.udfs.feedback;

import java.time.Instant;

/**
 * A user's verdict on one tag of one content, with the content's text as it was: ACCEPT and ADD
 * make it an example of the tag ({@code active}), REJECT and REMOVE withdraw it.
 * {@code model} and {@code vector} are filled in by the embedding step; null before it.
 */
public record ConfirmedExample(
        String tenant,
        String contentId,
        String tag,
        String title,
        String body,
        String lang,
        boolean active,
        String eventId,
        Instant occurredAt,
        String model,
        float[] vector) {

    public ConfirmedExample embedded(String byModel, float[] withVector) {
        return new ConfirmedExample(tenant, contentId, tag, title, body, lang, active, eventId, occurredAt, byModel, withVector);
    }
}
