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

    private final IngestLimits limits;

    public ContentEventReader(IngestLimits limits) {
        this.limits = limits;
    }

    @Override
    public IngestLimits limits() {
        return limits;
    }

    @Override
    public ContentEvent read(byte[] raw, Instant readAt) throws InvalidRecordException {
        ObjectNode node = JsonFields.object(raw, limits.maxRecordBytes());
        String eventId = JsonFields.requiredId(node, "event_id");
        String tenant = JsonFields.tenant(node, "tenant");
        String contentId = JsonFields.requiredId(node, "content_id");
        ContentOp op = operation(node);
        Long version = optionalVersion(node);
        Instant occurredAt = JsonFields.instant(node, "occurred_at", readAt.plus(limits.maxFutureSkew()));

        return new ContentEvent(
                eventId,
                tenant,
                contentId,
                op,
                version,
                occurredAt,
                JsonFields.optionalText(node, "title"),
                JsonFields.optionalText(node, "body"),
                JsonFields.optionalName(node, "lang", FieldLimits.LANG_BYTES),
                JsonFields.optionalName(node, "source", FieldLimits.NAME_BYTES),
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
        if (value.size() > FieldLimits.MAX_METADATA_ENTRIES) {
            throw new InvalidRecordException("field 'metadata' has " + value.size() + " entries, more than "
                    + FieldLimits.MAX_METADATA_ENTRIES);
        }
        var fields = value.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            JsonNode v = entry.getValue();
            String key = JsonFields.name(entry.getKey(), "metadata key", FieldLimits.NAME_BYTES);
            if (v.isContainerNode()) {
                throw new InvalidRecordException(
                        "field 'metadata." + JsonFields.abbreviate(key) + "' must be a string, number or boolean");
            }
            String text = v.isNull() ? null : JsonFields.storable(v.asText());
            if (text != null && JsonFields.utf8Length(text) > FieldLimits.METADATA_VALUE_BYTES) {
                throw new InvalidRecordException("field 'metadata." + JsonFields.abbreviate(key) + "' is more than "
                        + FieldLimits.METADATA_VALUE_BYTES + " bytes in UTF-8");
            }
            metadata.put(key, text);
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
        if (value.size() > FieldLimits.MAX_USER_TAGS) {
            throw new InvalidRecordException("field 'user_tags' has " + value.size() + " tags, more than "
                    + FieldLimits.MAX_USER_TAGS);
        }
        for (JsonNode tag : value) {
            if (!tag.isTextual() || tag.textValue().isBlank()) {
                throw new InvalidRecordException("field 'user_tags' must hold non-blank strings only");
            }
            tags.add(JsonFields.name(tag.textValue(), "user_tags", FieldLimits.TAG_BYTES));
        }
        return tags;
    }
}
