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
            // The parser quotes the bytes it stumbled on, control characters and all.
            throw new InvalidRecordException("not JSON: " + escape(Json.describe(e)));
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

    /** An event, content, command, request or session id: a name of at most {@link FieldLimits#ID_BYTES}. */
    public static String requiredId(ObjectNode node, String field) throws InvalidRecordException {
        return name(requiredText(node, field), field, FieldLimits.ID_BYTES);
    }

    /** A tag: a name of at most {@link FieldLimits#TAG_BYTES}. */
    public static String requiredTag(ObjectNode node, String field) throws InvalidRecordException {
        return name(requiredText(node, field), field, FieldLimits.TAG_BYTES);
    }

    /** A name of at most {@code maxBytes}, or {@code null} when the field is absent. */
    public static String optionalName(ObjectNode node, String field, int maxBytes) throws InvalidRecordException {
        String value = optionalString(node, field);
        return value == null ? null : name(value, field, maxBytes);
    }

    /**
     * Checks a name: an identifier, a tag, a key. Names become keys, ids and indexed columns, so
     * they hold no control character (U+0000 to U+001F, U+007F to U+009F: PostgreSQL refuses
     * U+0000, and the others only hide what a name is) and no lone surrogate, and they are not blank.
     */
    public static String name(String value, String field, int maxBytes) throws InvalidRecordException {
        if (value.isBlank()) {
            throw new InvalidRecordException("field '" + field + "' must not be blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidRecordException(String.format(Locale.ROOT,
                        "field '%s' must not hold control characters, has U+%04X at %d", field, (int) c, i));
            }
            if (isLoneSurrogate(value, i)) {
                throw new InvalidRecordException("field '" + field + "' is not valid Unicode: a lone surrogate at " + i);
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        int bytes = utf8Length(value);
        if (bytes > maxBytes) {
            throw new InvalidRecordException("field '" + field + "' is " + bytes + " bytes in UTF-8, more than "
                    + maxBytes + ": '" + abbreviate(value) + "'");
        }
        return value;
    }

    public static String tenant(ObjectNode node, String field) throws InvalidRecordException {
        String tenant = requiredText(node, field);
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidRecordException(
                    "field '" + field + "' must match " + TENANT.pattern() + ", was '" + abbreviate(tenant) + "'");
        }
        return tenant;
    }

    /**
     * Free text (a title, a body, a description), or {@code null} when absent. Any character may
     * stand in it but the two no store can hold: U+0000 and a lone surrogate each become U+FFFD,
     * the replacement character, so a scraper's stray NUL costs one character, not the record.
     */
    public static String optionalText(ObjectNode node, String field) throws InvalidRecordException {
        String value = optionalString(node, field);
        return value == null ? null : storable(value);
    }

    /** Free text of at most {@code maxBytes}, as {@link #optionalText(ObjectNode, String)}. */
    public static String optionalText(ObjectNode node, String field, int maxBytes) throws InvalidRecordException {
        String value = optionalText(node, field);
        if (value != null && utf8Length(value) > maxBytes) {
            throw new InvalidRecordException("field '" + field + "' is " + utf8Length(value)
                    + " bytes in UTF-8, more than " + maxBytes);
        }
        return value;
    }

    private static String optionalString(ObjectNode node, String field) throws InvalidRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRecordException("field '" + field + "' must be a string, was " + typeOf(value));
        }
        return value.textValue();
    }

    /** {@code text} with U+0000 and lone surrogates replaced by U+FFFD; the same instance when it has none. */
    public static String storable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bad = c == '\u0000' || isLoneSurrogate(text, i);
            if (bad && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    /** The length of {@code text} in UTF-8 (a lone surrogate counts as the '?' Java writes for it). */
    public static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
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

    /**
     * An event time: from {@link #EARLIEST} up to {@code latest} (the time the record is read plus
     * the allowed skew) and before {@link #LATEST}.
     */
    public static Instant instant(ObjectNode node, String field, Instant latest) throws InvalidRecordException {
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
                    + ", was '" + abbreviate(text) + "'");
        }
        if (instant.isAfter(latest)) {
            throw new InvalidRecordException("field '" + field + "' lies in the future: " + instant
                    + " is later than " + latest + ", the time the record was read plus the allowed skew"
                    + " (ingest.max-future-skew-ms); dlq replay sends it again once its time has come");
        }
        return instant;
    }

    public static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** The first 80 characters of {@code text}, escaped as {@link #escape(String)}: safe to quote in an error. */
    public static String abbreviate(String text) {
        return escape(text.length() <= 80 ? text : text.substring(0, 80) + "…");
    }

    /** {@code text} with control characters and lone surrogates written as {@code \\uXXXX}. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && isLoneSurrogate(text, i)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
