package io.tagstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and validates one ContentEvent from raw bytes. Every way a record can be wrong ends in an
 * {@link InvalidRecordException} naming the field and the problem; nothing else escapes.
 */
public final class ContentEventReader implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Tenants become part of keys and index ids: keep them to a safe alphabet, never '/'. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_ID_LENGTH = 512;

    private final int maxRecordBytes;

    /** @param maxRecordBytes records larger than this are rejected before parsing */
    public ContentEventReader(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public ContentEvent read(byte[] raw) throws InvalidRecordException {
        if (raw == null || raw.length == 0) {
            throw new InvalidRecordException("empty record");
        }
        if (raw.length > maxRecordBytes) {
            throw new InvalidRecordException(
                    "record of " + raw.length + " bytes exceeds the limit of " + maxRecordBytes + " bytes");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(raw);
        } catch (IOException e) {
            throw new InvalidRecordException("not JSON: " + Json.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException("not a JSON object");
        }
        ObjectNode node = (ObjectNode) root;

        String eventId = requiredId(node, "event_id");
        String tenant = requiredText(node, "tenant");
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidRecordException(
                    "field 'tenant' must match " + TENANT.pattern() + ", was '" + abbreviate(tenant) + "'");
        }
        String contentId = requiredId(node, "content_id");
        ContentOp op = operation(node);
        Long version = optionalVersion(node);
        Instant occurredAt = instant(node, "occurred_at");

        return new ContentEvent(
                eventId,
                tenant,
                contentId,
                op,
                version,
                occurredAt,
                optionalText(node, "title"),
                optionalText(node, "body"),
                optionalText(node, "lang"),
                optionalText(node, "source"),
                metadata(node),
                userTags(node));
    }

    private static String requiredText(ObjectNode node, String field) throws InvalidRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRecordException("missing required field '" + field + "'");
        }
        if (!value.isTextual()) {
            throw new InvalidRecordException("field '" + field + "' must be a string, was " + typeOf(value));
        }
        if (value.textValue().isBlank()) {
            throw new InvalidRecordException("field '" + field + "' must not be blank");
        }
        return value.textValue();
    }

    private static String requiredId(ObjectNode node, String field) throws InvalidRecordException {
        String id = requiredText(node, field);
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidRecordException("field '" + field + "' is longer than " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    private static String optionalText(ObjectNode node, String field) throws InvalidRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRecordException("field '" + field + "' must be a string, was " + typeOf(value));
        }
        return value.textValue();
    }

    private static ContentOp operation(ObjectNode node) throws InvalidRecordException {
        String op = requiredText(node, "op");
        try {
            return ContentOp.valueOf(op);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("field 'op' must be UPSERT or DELETE, was '" + abbreviate(op) + "'");
        }
    }

    private static Long optionalVersion(ObjectNode node) throws InvalidRecordException {
        JsonNode value = node.get("version");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidRecordException("field 'version' must be an integer, was " + typeOf(value));
        }
        if (value.longValue() < 0) {
            throw new InvalidRecordException("field 'version' must not be negative, was " + value.longValue());
        }
        return value.longValue();
    }

    private static Instant instant(ObjectNode node, String field) throws InvalidRecordException {
        String text = requiredText(node, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException(
                    "field '" + field + "' must be an ISO-8601 instant (e.g. 2026-01-31T12:00:00Z), was '"
                            + abbreviate(text) + "'");
        }
    }

    private static Map<String, String> metadata(ObjectNode node) throws InvalidRecordException {
        JsonNode value = node.get("metadata");
        Map<String, String> metadata = new HashMap<>();
        if (value == null || value.isNull()) {
            return metadata;
        }
        if (!value.isObject()) {
            throw new InvalidRecordException("field 'metadata' must be an object, was " + typeOf(value));
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
            throw new InvalidRecordException("field 'user_tags' must be an array of strings, was " + typeOf(value));
        }
        for (JsonNode tag : value) {
            if (!tag.isTextual() || tag.textValue().isBlank()) {
                throw new InvalidRecordException("field 'user_tags' must hold non-blank strings only");
            }
            tags.add(tag.textValue());
        }
        return tags;
    }

    private static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
