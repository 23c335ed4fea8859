package io.tagstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates one ContentEvent from raw bytes. Every way a record can be wrong ends in an
 * {@link InvalidRecordException} naming the field and the problem; nothing else escapes.
 */
public final class ContentEventReader implements RecordReader<ContentEvent> {
    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;

    /** @param maxRecordBytes records larger than this are rejected before parsing */
    public ContentEventReader(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    @Override
    public ContentEvent read(byte[] raw) throws InvalidRecordException {
        ObjectNode node = JsonFields.object(raw, maxRecordBytes);
        String eventId = JsonFields.requiredId(node, "event_id");
        String tenant = JsonFields.tenant(node, "tenant");
        String contentId = JsonFields.requiredId(node, "content_id");
        ContentOp op = operation(node);
        Long version = optionalVersion(node);
        Instant occurredAt = JsonFields.instant(node, "occurred_at");

        return new ContentEvent(
                eventId,
                tenant,
                contentId,
                op,
                version,
                occurredAt,
                JsonFields.optionalText(node, "title"),
                JsonFields.optionalText(node, "body"),
                JsonFields.optionalText(node, "lang"),
                JsonFields.optionalText(node, "source"),
                metadata(node),
                userTags(node));
    }

    private static ContentOp operation(ObjectNode node) throws InvalidRecordException {
        String op = JsonFields.requiredText(node, "op");
        try {
            return ContentOp.valueOf(op);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("field 'op' must be UPSERT or DELETE, was '" + JsonFields.abbreviate(op) + "'");
        }
    }

    private static Long optionalVersion(ObjectNode node) throws InvalidRecordException {
        JsonNode value = node.get("version");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidRecordException("field 'version' must be an integer, was " + JsonFields.typeOf(value));
        }
        if (value.longValue() < 0) {
            throw new InvalidRecordException("field 'version' must not be negative, was " + value.longValue());
        }
        return value.longValue();
    }

    private static Map<String, String> metadata(ObjectNode node) throws InvalidRecordException {
        JsonNode value = node.get("metadata");
        Map<String, String> metadata = new HashMap<>();
        if (value == null || value.isNull()) {
            return metadata;
        }
        if (!value.isObject()) {
            throw new InvalidRecordException("field 'metadata' must be an object, was " + JsonFields.typeOf(value));
        }
        var fields = value.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            JsonNode v = entry.getValue();
            if (v.isContainerNode()) {
                throw new InvalidRecordException(
                        "field 'metadata." + entry.getKey() + "' must be a string, number or boolean");
            }
            metadata.put(entry.getKey(), v.isNull() ? null : v.asText());
        }
        return metadata;
    }

    private static List<String> userTags(ObjectNode node) throws InvalidRecordException {
        JsonNode value = node.get("user_tags");
        List<String> tags = new ArrayList<>();
        if (value == null || value.isNull()) {
            return tags;
        }
        if (!value.isArray()) {
            throw new InvalidRecordException("field 'user_tags' must be an array of strings, was " + JsonFields.typeOf(value));
        }
        for (JsonNode tag : value) {
            if (!tag.isTextual() || tag.textValue().isBlank()) {
                throw new InvalidRecordException("field 'user_tags' must hold non-blank strings only");
            }
            tags.add(tag.textValue());
        }
        return tags;
    }
}
