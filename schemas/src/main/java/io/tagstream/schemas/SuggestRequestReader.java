package io.tagstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Reads and validates one SuggestRequest; see {@code schemas/suggest-request.schema.json}. */
public final class SuggestRequestReader implements RecordReader<SuggestRequest> {
    private static final long serialVersionUID = 1L;

    /** An idea or a refinement is a sentence or a paragraph, not a document. */
    public static final int MAX_TEXT_LENGTH = 2000;

    private final IngestLimits limits;

    public SuggestRequestReader(IngestLimits limits) {
        this.limits = limits;
    }

    @Override
    public SuggestRequest read(byte[] raw, Instant readAt) throws InvalidRecordException {
        ObjectNode node = JsonFields.object(raw, limits.maxRecordBytes());
        String requestId = JsonFields.requiredId(node, "request_id");
        String sessionId = JsonFields.requiredId(node, "session_id");
        String tenant = JsonFields.tenant(node, "tenant");
        SuggestAction action = JsonFields.requiredEnum(node, "action", SuggestAction.class);
        String text = JsonFields.optionalText(node, "text");
        if (text != null && text.length() > MAX_TEXT_LENGTH) {
            throw new InvalidRecordException("field 'text' is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        Integer choice = choice(node);
        boolean finish = finish(node);
        if (action == SuggestAction.START && (text == null || text.isBlank())) {
            throw new InvalidRecordException("a START request needs the idea in field 'text'");
        }
        if (action == SuggestAction.START && (choice != null || finish)) {
            throw new InvalidRecordException("a START request takes no 'choice' or 'finish'");
        }
        if (action == SuggestAction.CONTINUE && (text == null || text.isBlank()) && choice == null && !finish) {
            throw new InvalidRecordException("a CONTINUE request needs a 'choice', a 'text' or 'finish': true");
        }
        return new SuggestRequest(requestId, sessionId, tenant, action, text, choice, finish,
                JsonFields.instant(node, "occurred_at", readAt.plus(limits.maxFutureSkew())));
    }

    private static Integer choice(ObjectNode node) throws InvalidRecordException {
        JsonNode value = node.get("choice");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidRecordException("field 'choice' must be a whole number, was " + JsonFields.typeOf(value));
        }
        if (value.intValue() < 1) {
            throw new InvalidRecordException("field 'choice' counts directions from 1, was " + value.intValue());
        }
        return value.intValue();
    }

    private static boolean finish(ObjectNode node) throws InvalidRecordException {
        JsonNode value = node.get("finish");
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidRecordException("field 'finish' must be true or false, was " + JsonFields.typeOf(value));
        }
        return value.booleanValue();
    }

    @Override
    public IngestLimits limits() {
        return limits;
    }
}
