package io.tagstream.schemas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Reads and validates one FeedbackEvent; see {@code schemas/feedback-event.schema.json}. */
public final class FeedbackEventReader implements RecordReader<FeedbackEvent> {
    private static final long serialVersionUID = 1L;

    private final IngestLimits limits;

    public FeedbackEventReader(IngestLimits limits) {
        this.limits = limits;
    }

    @Override
    public FeedbackEvent read(byte[] raw, Instant readAt) throws InvalidRecordException {
        ObjectNode node = JsonFields.object(raw, limits.maxRecordBytes());
        return new FeedbackEvent(
                JsonFields.requiredId(node, "event_id"),
                JsonFields.tenant(node, "tenant"),
                JsonFields.requiredId(node, "content_id"),
                JsonFields.requiredTag(node, "tag"),
                JsonFields.requiredEnum(node, "action", FeedbackAction.class),
                JsonFields.optionalName(node, "actor", FieldLimits.NAME_BYTES),
                JsonFields.instant(node, "occurred_at", readAt.plus(limits.maxFutureSkew())));
    }

    @Override
    public IngestLimits limits() {
        return limits;
    }
}
