package io.tagstream.schemas;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads and validates one FeedbackEvent; see {@code schemas/feedback-event.schema.json}. */
public final class FeedbackEventReader implements RecordReader<FeedbackEvent> {
    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;

    public FeedbackEventReader(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public FeedbackEvent read(byte[] raw) throws InvalidRecordException {
        ObjectNode node = JsonFields.object(raw, maxRecordBytes);
        return new FeedbackEvent(
                JsonFields.requiredId(node, "event_id"),
                JsonFields.tenant(node, "tenant"),
                JsonFields.requiredId(node, "content_id"),
                JsonFields.requiredId(node, "tag"),
                JsonFields.requiredEnum(node, "action", FeedbackAction.class),
                JsonFields.optionalText(node, "actor"),
                JsonFields.instant(node, "occurred_at"));
    }

    @Override
    public int maxRecordBytes() {
        return maxRecordBytes;
    }
}
