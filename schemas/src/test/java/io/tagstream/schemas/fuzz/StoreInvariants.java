package io.tagstream.schemas.fuzz;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.FieldLimits;
import io.tagstream.schemas.IngestLimits;
import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestRequestReader;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.json.Json;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every store needs of an accepted record, checked in plain Java and independently of the
 * readers' code (bytes counted by the JDK's encoder, surrogates found by code point): names within
 * their byte limits and free of control characters and lone surrogates, no U+0000 or lone
 * surrogate in any string at all, counts within limits, event times from 1970 to the read time
 * plus the allowed skew. Each check throws an {@link AssertionError} naming what is wrong.
 */
public final class StoreInvariants {
    /** A tenant becomes part of keys and index ids. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Instant EPOCH = Instant.EPOCH;
    /** The last moment a PostgreSQL timestamp can hold (its range ends in 294276 AD). */
    private static final Instant POSTGRES_LATEST = Instant.parse("+294276-12-31T23:59:59.999999Z");

    private StoreInvariants() {}

    public static void check(ContentEvent e, Instant readAt, IngestLimits limits) {
        List<String> problems = new ArrayList<>();
        name(problems, "event_id", e.eventId(), FieldLimits.ID_BYTES);
        tenant(problems, e.tenant());
        name(problems, "content_id", e.contentId(), FieldLimits.ID_BYTES);
        required(problems, "op", e.op());
        if (e.version() != null && e.version() < 0) {
            problems.add("negative version " + e.version());
        }
        time(problems, "occurred_at", e.occurredAt(), readAt, limits);
        optionalName(problems, "lang", e.lang(), FieldLimits.LANG_BYTES);
        optionalName(problems, "source", e.source(), FieldLimits.NAME_BYTES);
        count(problems, "metadata", e.metadata().size(), FieldLimits.MAX_METADATA_ENTRIES);
        e.metadata().forEach((key, value) -> {
            name(problems, "metadata key", key, FieldLimits.NAME_BYTES);
            if (value != null && utf8Bytes(value) > FieldLimits.METADATA_VALUE_BYTES) {
                problems.add("metadata." + key + " of " + utf8Bytes(value) + " bytes");
            }
        });
        count(problems, "user_tags", e.userTags().size(), FieldLimits.MAX_USER_TAGS);
        e.userTags().forEach(tag -> name(problems, "user tag", tag, FieldLimits.TAG_BYTES));
        storableEverywhere(problems, e);
        report(e, problems);
    }

    public static void check(FeedbackEvent e, Instant readAt, IngestLimits limits) {
        List<String> problems = new ArrayList<>();
        name(problems, "event_id", e.eventId(), FieldLimits.ID_BYTES);
        tenant(problems, e.tenant());
        name(problems, "content_id", e.contentId(), FieldLimits.ID_BYTES);
        name(problems, "tag", e.tag(), FieldLimits.TAG_BYTES);
        required(problems, "action", e.action());
        optionalName(problems, "actor", e.actor(), FieldLimits.NAME_BYTES);
        time(problems, "occurred_at", e.occurredAt(), readAt, limits);
        storableEverywhere(problems, e);
        report(e, problems);
    }

    public static void check(TaxonomyCommand c, Instant readAt, IngestLimits limits) {
        List<String> problems = new ArrayList<>();
        name(problems, "command_id", c.commandId(), FieldLimits.ID_BYTES);
        required(problems, "command", c.command());
        if (c.tenant() != null) {
            tenant(problems, c.tenant());
        }
        optionalName(problems, "tag", c.tag(), FieldLimits.TAG_BYTES);
        optionalName(problems, "target", c.target(), FieldLimits.TAG_BYTES);
        count(problems, "attributes", c.attributes().size(), FieldLimits.MAX_ATTRIBUTES);
        c.attributes().forEach((key, value) -> {
            name(problems, "attributes key", key, FieldLimits.NAME_BYTES);
            if (value == null || utf8Bytes(value) > FieldLimits.ATTRIBUTE_VALUE_BYTES) {
                problems.add("attributes." + key + " null or over " + FieldLimits.ATTRIBUTE_VALUE_BYTES + " bytes");
            }
        });
        optionalName(problems, "actor", c.actor(), FieldLimits.NAME_BYTES);
        time(problems, "issued_at", c.issuedAt(), readAt, limits);
        storableEverywhere(problems, c);
        report(c, problems);
    }

    public static void check(SuggestRequest r, Instant readAt, IngestLimits limits) {
        List<String> problems = new ArrayList<>();
        name(problems, "request_id", r.requestId(), FieldLimits.ID_BYTES);
        name(problems, "session_id", r.sessionId(), FieldLimits.ID_BYTES);
        tenant(problems, r.tenant());
        required(problems, "action", r.action());
        if (r.text() != null && r.text().length() > SuggestRequestReader.MAX_TEXT_LENGTH) {
            problems.add("text of " + r.text().length() + " characters");
        }
        if (r.choice() != null && r.choice() < 1) {
            problems.add("choice " + r.choice());
        }
        if (r.action() == SuggestAction.START && (r.text() == null || r.text().isBlank())) {
            problems.add("a START without text");
        }
        time(problems, "occurred_at", r.occurredAt(), readAt, limits);
        storableEverywhere(problems, r);
        report(r, problems);
    }

    /**
     * A dead letter can always be written: to Kafka (well under 1 MiB; the tests hold it to 400 KiB),
     * to PostgreSQL (an error with no U+0000 or lone surrogate, a record time its timestamps reach),
     * and it keeps what it promises.
     */
    public static void check(DeadLetter d, byte[] key, byte[] value) {
        List<String> problems = new ArrayList<>();
        int size = Json.toBytes(d).length;
        if (size >= 400 * 1024) {
            problems.add("serialized to " + size + " bytes");
        }
        if (d.error() == null || d.error().isBlank() || d.error().length() > DeadLetter.MAX_ERROR_CHARS) {
            problems.add("error null, blank or longer than " + DeadLetter.MAX_ERROR_CHARS + ": " + d.error());
        }
        storableEverywhere(problems, d);
        byte[] raw = value == null ? new byte[0] : value;
        byte[] kept = Base64.getDecoder().decode(d.rawBase64());
        if (d.rawSize() != raw.length || kept.length != Math.min(raw.length, DeadLetter.MAX_RAW_BYTES)
                || !java.util.Arrays.equals(kept, 0, kept.length, raw, 0, kept.length)) {
            problems.add("raw value not kept as promised: size " + d.rawSize() + ", kept " + kept.length);
        }
        boolean cut = raw.length > DeadLetter.MAX_RAW_BYTES || key != null && key.length > DeadLetter.MAX_KEY_BYTES;
        if (d.rawTruncated() != cut) {
            problems.add("rawTruncated " + d.rawTruncated() + " for a value of " + raw.length + " bytes");
        }
        if (d.recordTimestamp() != null && d.recordTimestamp().isAfter(POSTGRES_LATEST)) {
            problems.add("record timestamp " + d.recordTimestamp() + " later than PostgreSQL's timestamps reach");
        }
        if ((key == null) != (d.keyBase64() == null)) {
            problems.add("key " + (key == null ? "invented" : "lost"));
        }
        report(d, problems);
    }

    /** Whether {@code s} is a valid name of at most {@code maxBytes}: the contract's rule, written independently. */
    public static boolean isName(String s, int maxBytes) {
        return s != null && !s.isBlank() && isQuotable(s) && utf8Bytes(s) <= maxBytes;
    }

    /** Whether {@code s} holds nothing PostgreSQL or Elasticsearch refuses: no U+0000, no lone surrogate. */
    public static boolean isStorable(String s) {
        return s.codePoints().noneMatch(cp -> cp == 0 || isSurrogate(cp));
    }

    /** Whether {@code s} can be quoted to a person (a terminal, a log line) as it is: no control character, no lone surrogate. */
    public static boolean isQuotable(String s) {
        return s.codePoints().noneMatch(cp -> Character.isISOControl(cp) || isSurrogate(cp));
    }

    /** Bytes of UTF-8, by the JDK's encoder (only meaningful for strings without lone surrogates). */
    public static int utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** {@code codePoints()} yields a lone surrogate as itself, a paired one never. */
    private static boolean isSurrogate(int cp) {
        return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
    }

    private static void name(List<String> problems, String field, String value, int maxBytes) {
        if (!isName(value, maxBytes)) {
            problems.add(field + " is not a name of at most " + maxBytes + " bytes: " + describe(value));
        }
    }

    private static void optionalName(List<String> problems, String field, String value, int maxBytes) {
        if (value != null) {
            name(problems, field, value, maxBytes);
        }
    }

    private static void tenant(List<String> problems, String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            problems.add("tenant " + describe(tenant));
        }
    }

    private static void required(List<String> problems, String field, Object value) {
        if (value == null) {
            problems.add(field + " is missing");
        }
    }

    private static void count(List<String> problems, String field, int count, int max) {
        if (count > max) {
            problems.add(field + " has " + count + " entries, more than " + max);
        }
    }

    private static void time(List<String> problems, String field, Instant time, Instant readAt, IngestLimits limits) {
        if (time == null || time.isBefore(EPOCH) || time.isAfter(readAt.plus(limits.maxFutureSkew()))) {
            problems.add(field + " " + time + " outside 1970 to " + readAt + " + " + limits.maxFutureSkew());
        }
    }

    /** Every string anywhere in the record (components, map keys and values, list items) is storable. */
    private static void storableEverywhere(List<String> problems, Record record) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            for (String s : strings(value)) {
                if (!isStorable(s)) {
                    problems.add(component.getName() + " holds U+0000 or a lone surrogate: " + describe(s));
                }
            }
        }
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                out.addAll(strings(k));
                out.addAll(strings(v));
            });
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> out.addAll(strings(item)));
        }
        return out;
    }

    private static void report(Object record, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new AssertionError("an accepted " + record.getClass().getSimpleName() + " breaks the store contract: "
                    + problems);
        }
    }

    /** A value for a failure message: code points of anything odd written out, cut at 120 characters. */
    public static String describe(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().limit(120).forEach(cp -> {
            if (cp < 0x20 || cp >= 0x7F) {
                out.append(String.format("\\u{%X}", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(s.codePointCount(0, s.length()) > 120 ? "\"… (" + s.length() + " chars)" : "\"").toString();
    }
}
