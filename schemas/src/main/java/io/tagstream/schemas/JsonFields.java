package io.tagstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The field checks the record readers share, each failing with an {@link InvalidRecordException}
 * that names the field and the problem.
 */
public final class JsonFields {
    /** Tenants become part of keys and index ids: keep them to a safe alphabet, never '/'. */
    public static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MAX_ID_LENGTH = 512;
    /**
     * Event times outside this range are taken for clock or unit errors (seconds sent as
     * milliseconds, a zeroed date) and rejected: they would sort wrongly and decay every weight.
     */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private JsonFields() {}

    /** Parses one JSON object of at most {@code maxBytes} bytes, with nothing after it. */
    public static ObjectNode object(byte[] raw, int maxBytes) throws InvalidRecordException {
        if (raw == null || raw.length == 0) {
            throw new InvalidRecordException("empty record");
        }
        if (raw.length > maxBytes) {
            throw new InvalidRecordException(
                    "record of " + raw.length + " bytes exceeds the limit of " + maxBytes + " bytes");
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
        return (ObjectNode) root;
    }

    public static String requiredText(ObjectNode node, String field) throws InvalidRecordException {
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

    public static String requiredId(ObjectNode node, String field) throws InvalidRecordException {
        String id = requiredText(node, field);
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidRecordException("field '" + field + "' is longer than " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    public static String tenant(ObjectNode node, String field) throws InvalidRecordException {
        String tenant = requiredText(node, field);
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidRecordException(
                    "field '" + field + "' must match " + TENANT.pattern() + ", was '" + abbreviate(tenant) + "'");
        }
        return tenant;
    }

    public static String optionalText(ObjectNode node, String field) throws InvalidRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRecordException("field '" + field + "' must be a string, was " + typeOf(value));
        }
        return value.textValue();
    }

    public static <E extends Enum<E>> E requiredEnum(ObjectNode node, String field, Class<E> type)
            throws InvalidRecordException {
        String text = requiredText(node, field);
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name());
            }
            throw new InvalidRecordException(
                    "field '" + field + "' must be one of " + allowed + ", was '" + abbreviate(text) + "'");
        }
    }

    public static Instant instant(ObjectNode node, String field) throws InvalidRecordException {
        String text = requiredText(node, field);
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException(
                    "field '" + field + "' must be an ISO-8601 instant (e.g. 2026-01-31T12:00:00Z), was '"
                            + abbreviate(text) + "'");
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new InvalidRecordException("field '" + field + "' must lie between " + EARLIEST + " and " + LATEST
                    + ", was '" + text + "'");
        }
        return instant;
    }

    public static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    public static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
