package io.tagstream.schemas.fuzz;

import static net.jqwik.api.Tuple.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.tagstream.schemas.IngestLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * JSON for the boundary's fuzzing: any JSON value (with numbers no Java type holds), event times
 * valid and odd, and edits of a record's bytes (duplicate keys, deep nesting, trailing garbage,
 * broken UTF-8, other encodings).
 */
public final class HostileJson {
    /** Every reader test reads at this moment, so that event times can be placed around it. */
    public static final Instant READ_AT = Instant.parse("2026-12-08T10:00:00Z");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Numbers written as they are: beyond long and double, over Jackson's 1000-digit limit, odd forms. */
    private static final List<String> RAW_NUMBERS = List.of("0", "-0", "1", "-1", "1.0", "1e2", "1E+2", "0.5",
            "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "123456789012345678901234567890", "1e400", "-1e400", "4.9e-325",
            "1" + "0".repeat(999), "1" + "0".repeat(1000), "0." + "0".repeat(2000) + "1");

    private HostileJson() {}

    /** Any JSON value up to {@code depth} levels of arrays and objects, with hostile strings and numbers. */
    public static Arbitrary<JsonNode> values(int depth) {
        Arbitrary<JsonNode> leaves = Arbitraries.frequencyOf(
                of(1, Arbitraries.just(NODES.nullNode())),
                of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
                of(2, Arbitraries.longs().map(NODES::numberNode)),
                of(1, Arbitraries.doubles().map(NODES::numberNode)),
                of(2, Arbitraries.of(RAW_NUMBERS).map(n -> NODES.rawValueNode(new RawValue(n)))),
                of(4, HostileStrings.anyString().map(NODES::textNode)),
                of(1, times().map(NODES::textNode)));
        if (depth == 0) {
            return leaves;
        }
        Arbitrary<JsonNode> inner = values(depth - 1);
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(5).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(HostileStrings.anyString(), inner).as(List::<Object>of)
                .list().ofMaxSize(5).map(entries -> {
                    ObjectNode object = NODES.objectNode();
                    entries.forEach(e -> object.set((String) e.get(0), (JsonNode) e.get(1)));
                    return object;
                });
        return Arbitraries.frequencyOf(of(4, leaves), of(1, arrays), of(1, objects));
    }

    /**
     * Event times as a producer might write them: valid ones from the epoch to the read time plus
     * the allowed skew, in several ISO-8601 forms, and the edges just past either end, in other
     * formats, out of range and malformed.
     */
    public static Arbitrary<String> times() {
        Instant latest = READ_AT.plus(IngestLimits.DEFAULT_MAX_FUTURE_SKEW);
        return Arbitraries.frequencyOf(
                of(3, validTimes()),
                of(2, Arbitraries.of(Instant.EPOCH.minusNanos(1), latest.plusNanos(1), latest.plusSeconds(1),
                        latest.plus(Duration.ofDays(365 * 70)), Instant.parse("2099-12-31T23:59:59.999999999Z"))
                        .map(Instant::toString)),
                of(1, Arbitraries.of("2100-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                        "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                        "+1000000000-12-31T23:59:59.999999999Z", "2026-01-31T12:00:00", "2026-01-31", "12:00:00Z",
                        "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-31T24:00:00Z", "2026-01-31t12:00:00z",
                        "2026-01-31T12:00:00+19:00", "2026-01-31T12:00:00.1234567890Z", " 2026-01-31T12:00:00Z",
                        "2026-01-31T12:00:00Z ", "2026-01-31T12:00:00Z\u0000", "２０２６-01-31T12:00:00Z", "1767182400000",
                        "2026-01-31T12:00:00 Z", "2026-01-31 12:00:00Z", "", " ", "now", "\uD800")));
    }

    /** Event times the contract accepts (the leap second reads as its :59), written in several forms. */
    public static Arbitrary<String> validTimes() {
        Instant latest = READ_AT.plus(IngestLimits.DEFAULT_MAX_FUTURE_SKEW);
        Arbitrary<Instant> instants = Arbitraries.frequencyOf(
                of(1, Arbitraries.of(Instant.EPOCH, latest, READ_AT, Instant.parse("2000-02-29T23:59:59.999999999Z"))),
                of(3, Arbitraries.longs().between(0, latest.getEpochSecond() - 1)
                        .map(Instant::ofEpochSecond)),
                of(1, Arbitraries.longs().between(-3_600_000_000_000L, 3_600_000_000_000L).map(READ_AT::plusNanos)
                        .filter(t -> !t.isAfter(latest))));
        return Combinators.combine(instants, Arbitraries.of("Z", "+02:00", "-11:30", "+00:00", "+18:00"))
                .as((instant, zone) -> zone.equals("Z")
                        ? instant.toString()
                        : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.of(zone))))
                .edgeCases(config -> config.add("2016-12-31T23:59:60Z"));
    }

    /** A change made to a record's serialized bytes. */
    public record ByteEdit(String description, java.util.function.UnaryOperator<byte[]> apply) {
        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * Edits of the bytes: none (most often), a duplicate of a field before or after the original,
     * a field value nested deeper than Jackson allows, trailing garbage, truncation, broken UTF-8,
     * a byte order mark, or UTF-16 and UTF-32.
     */
    public static Arbitrary<ByteEdit> byteEdits(List<String> fields) {
        Arbitrary<Integer> position = Arbitraries.integers().greaterOrEqual(0);
        return Arbitraries.frequencyOf(
                of(12, Arbitraries.just(new ByteEdit("as written", b -> b))),
                of(2, Combinators.combine(Arbitraries.of(fields), values(1), Arbitraries.of(true, false))
                        .as((field, value, first) -> new ByteEdit(
                                "duplicate " + field + "=" + abbreviate(value.toString()) + (first ? " before" : " after"),
                                b -> duplicate(b, field, value.toString(), first)))),
                of(1, Combinators.combine(Arbitraries.of(fields), Arbitraries.of(10, 998, 999, 1000, 1001, 5000, 100_000))
                        .as((field, depth) -> new ByteEdit("'" + field + "' nested " + depth + " deep",
                                b -> duplicate(b, field, "[".repeat(depth) + "]".repeat(depth), false)))),
                of(1, Arbitraries.of(" x", "{}", "\u0000", "\n{\"a\":1}", "]", "}", ",", "//", "\uFEFF")
                        .map(tail -> new ByteEdit("trailing " + abbreviate(tail), b -> concat(b, utf8(tail))))),
                of(1, position.map(at -> new ByteEdit("cut at " + at, b -> Arrays.copyOf(b, at % (b.length + 1))))),
                of(1, Combinators.combine(position, Arbitraries.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0x80},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                        new byte[] {(byte) 0xC3}, new byte[] {0}))
                        .as((at, bad) -> new ByteEdit("bytes " + Arrays.toString(bad) + " at " + at, b -> insert(b, bad, at)))),
                of(1, Combinators.combine(position, Arbitraries.bytes())
                        .as((at, value) -> new ByteEdit("byte " + value + " at " + at, b -> overwrite(b, value, at)))),
                of(1, Arbitraries.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "BOM").map(encoding -> new ByteEdit(encoding,
                        b -> encoding.equals("BOM")
                                ? concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, b)
                                : new String(b, StandardCharsets.UTF_8).getBytes(java.nio.charset.Charset.forName(encoding))))));
    }

    /** {@code "field": value} written into the object's bytes right after its '{' or right before its last '}'. */
    static byte[] duplicate(byte[] record, String field, String rawValue, boolean first) {
        String text = new String(record, StandardCharsets.UTF_8);
        String member = NODES.textNode(field).toString() + ":" + rawValue;
        int open = text.indexOf('{');
        int close = text.lastIndexOf('}');
        if (open < 0 || close < open) {
            return record;
        }
        boolean empty = text.substring(open + 1, close).isBlank();
        String edited = first
                ? text.substring(0, open + 1) + member + (empty ? "" : ",") + text.substring(open + 1)
                : text.substring(0, close) + (empty ? "" : ",") + member + text.substring(close);
        return utf8(edited);
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] insert(byte[] record, byte[] bad, int at) {
        int i = at % (record.length + 1);
        return concat(concat(Arrays.copyOf(record, i), bad), Arrays.copyOfRange(record, i, record.length));
    }

    private static byte[] overwrite(byte[] record, byte value, int at) {
        byte[] copy = record.clone();
        if (copy.length > 0) {
            copy[at % copy.length] = value;
        }
        return copy;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String abbreviate(String text) {
        String cut = text.length() <= 60 ? text : text.substring(0, 60) + "…";
        return StoreInvariants.describe(cut);
    }
}
