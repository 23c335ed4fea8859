package io.tagstream.udfs.feedback;

import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A user's verdict on one tag of one content, with the content's text as it was: ACCEPT and ADD
 * make it an example of the tag ({@code active}), REJECT and REMOVE withdraw it.
 * {@code model} and {@code vector} are filled in by the embedding step; null before it.
 */
@TypeInfo(RecordTypeInfoFactory.class)
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
        List<Float> vector) {

    public ConfirmedExample {
        vector = vector == null ? null : new ArrayList<>(vector);
    }

    public ConfirmedExample embedded(String byModel, float[] withVector) {
        List<Float> boxed = new ArrayList<>(withVector.length);
        for (float v : withVector) {
            boxed.add(v);
        }
        return new ConfirmedExample(tenant, contentId, tag, title, body, lang, active, eventId, occurredAt, byModel, boxed);
    }
}
