package io.tagstream.schemas.fuzz;

import static net.jqwik.api.Tuple.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentEventReader;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.FeedbackAction;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.FeedbackEventReader;
import io.tagstream.schemas.FieldLimits;
import io.tagstream.schemas.IngestLimits;
import io.tagstream.schemas.RecordReader;
import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestRequestReader;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandReader;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The four input contracts as generators for fuzzing: for each, valid records (every field at or
 * near its limits, in hostile but allowed characters) and the same records mutated (fields
 * dropped, retyped or set to hostile values, unknown fields added, then the bytes edited), with
 * the reader that reads them and the store invariants an accepted record must meet.
 */
public final class Contracts {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Bytes to read, with how they were made; printed, escaped and cut, when a property fails. */
    public record FuzzInput(String description, byte[] bytes) {
        @Override
        public String toString() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return description + " (" + bytes.length + " bytes): "
                    + StoreInvariants.describe(text.length() > 600 ? text.substring(0, 600) : text);
        }
    }

    /** What every accepted record of a contract must satisfy. */
    public interface Invariant<T> {
        void check(T record, Instant readAt, IngestLimits limits);
    }

    /**
     * One contract: its reader (at the default limits), its valid records, a hostile value for each
     * of its fields, and its store invariants.
     */
    public record Contract<T>(String name, Class<T> type, RecordReader<T> reader, Arbitrary<ObjectNode> validRecords,
            Map<String, Arbitrary<JsonNode>> hostileValues, Invariant<T> invariant) {

        /** Valid records, serialized as the project writes JSON. */
        public Arbitrary<FuzzInput> valid() {
            return validRecords.map(node -> new FuzzInput("valid " + name, Json.toBytes(node)));
        }

        /** Valid records after up to three field edits and one edit of the bytes. */
        public Arbitrary<FuzzInput> mutated() {
            List<String> fields = new ArrayList<>(hostileValues.keySet());
            return Combinators.combine(validRecords, fieldEdits(fields).list().ofMaxSize(3), HostileJson.byteEdits(fields))
                    .as((node, edits, byteEdit) -> {
                        ObjectNode copy = node.deepCopy();
                        edits.forEach(edit -> edit.apply().accept(copy));
                        return new FuzzInput(name + " " + edits + ", " + byteEdit, byteEdit.apply().apply(Json.toBytes(copy)));
                    });
        }

        private Arbitrary<FieldEdit> fieldEdits(List<String> fields) {
            Arbitrary<String> field = Arbitraries.of(fields);
            return Arbitraries.frequencyOf(
                    of(4, Arbitraries.oneOf(fields.stream().map(f -> hostileValues.get(f).map(v -> set(f, v))).toList())),
                    of(1, field.map(f -> new FieldEdit("drop " + f, n -> n.remove(f)))),
                    of(1, field.map(f -> set(f, NODES.nullNode()))),
                    of(2, Combinators.combine(field, HostileJson.values(2)).as(Contracts::set)),
                    of(1, Combinators.combine(HostileStrings.anyString(), HostileJson.values(1)).as(Contracts::set)));
        }
    }

    /** One edit of a record's fields. */
    public record FieldEdit(String description, Consumer<ObjectNode> apply) {
        @Override
        public String toString() {
            return description;
        }
    }

    public static final Contract<ContentEvent> CONTENT = new Contract<>("ContentEvent", ContentEvent.class,
            new ContentEventReader(IngestLimits.DEFAULT), record(content()), hostile(
                    "event_id", id(), "tenant", tenant(), "content_id", id(), "op", enumName(ContentOp.class),
                    "version", number(), "occurred_at", time(), "title", text(2000), "body", text(100_000),
                    "lang", name(FieldLimits.LANG_BYTES), "source", name(FieldLimits.NAME_BYTES),
                    "metadata", entries(FieldLimits.MAX_METADATA_ENTRIES, HostileJson.values(1)),
                    "user_tags", tags(FieldLimits.MAX_USER_TAGS)),
            StoreInvariants::check);

    public static final Contract<FeedbackEvent> FEEDBACK = new Contract<>("FeedbackEvent", FeedbackEvent.class,
            new FeedbackEventReader(IngestLimits.DEFAULT), record(feedback()), hostile(
                    "event_id", id(), "tenant", tenant(), "content_id", id(), "tag", name(FieldLimits.TAG_BYTES),
                    "action", enumName(FeedbackAction.class), "actor", name(FieldLimits.NAME_BYTES), "occurred_at", time()),
            StoreInvariants::check);

    public static final Contract<TaxonomyCommand> COMMANDS = new Contract<>("TaxonomyCommand", TaxonomyCommand.class,
            new TaxonomyCommandReader(IngestLimits.DEFAULT),
            Arbitraries.oneOf(Arrays.stream(TaxonomyCommandType.values()).map(type -> record(command(type))).toList()), hostile(
                    "command_id", id(), "command", enumName(TaxonomyCommandType.class), "tenant", tenant(),
                    "tag", name(FieldLimits.TAG_BYTES), "target", name(FieldLimits.TAG_BYTES),
                    "attributes", entries(FieldLimits.MAX_ATTRIBUTES, Arbitraries.oneOf(text(2000), HostileJson.values(1))),
                    "actor", name(FieldLimits.NAME_BYTES), "issued_at", time()),
            StoreInvariants::check);

    public static final Contract<SuggestRequest> SUGGEST = new Contract<>("SuggestRequest", SuggestRequest.class,
            new SuggestRequestReader(IngestLimits.DEFAULT),
            Arbitraries.oneOf(record(suggest(SuggestAction.START)), record(suggest(SuggestAction.CONTINUE)))
                    .filter(Contracts::saysSomething), hostile(
                    "request_id", id(), "session_id", id(), "tenant", tenant(), "action", enumName(SuggestAction.class),
                    "text", text(3000), "choice", number(), "finish", Arbitraries.oneOf(HostileJson.values(0),
                            Arbitraries.of(true, false).map(NODES::booleanNode)), "occurred_at", time()),
            StoreInvariants::check);

    private Contracts() {}

    // ---- valid records -----------------------------------------------------------------------

    private static Map<String, Arbitrary<Optional<JsonNode>>> content() {
        Map<String, Arbitrary<Optional<JsonNode>>> fields = new LinkedHashMap<>();
        fields.put("event_id", required(validName(FieldLimits.ID_BYTES)));
        fields.put("tenant", required(validTenant()));
        fields.put("content_id", required(validName(FieldLimits.ID_BYTES)));
        fields.put("op", required(Arbitraries.of(ContentOp.class).map(op -> NODES.textNode(op.name()))));
        fields.put("version", optional(Arbitraries.longs().greaterOrEqual(0).map(NODES::numberNode)));
        fields.put("occurred_at", required(HostileJson.validTimes().map(NODES::textNode)));
        fields.put("title", optional(HostileStrings.freeText(300).map(NODES::textNode)));
        fields.put("body", optional(Arbitraries.frequencyOf(of(8, HostileStrings.freeText(2000)),
                of(1, HostileStrings.freeText(100_000))).map(NODES::textNode)));
        fields.put("lang", optional(validName(FieldLimits.LANG_BYTES)));
        fields.put("source", optional(validName(FieldLimits.NAME_BYTES)));
        fields.put("metadata", optional(validEntries(FieldLimits.MAX_METADATA_ENTRIES, Arbitraries.frequencyOf(
                of(4, HostileStrings.freeText(1000).map(NODES::textNode)),
                of(1, HostileStrings.nearLimit(FieldLimits.METADATA_VALUE_BYTES, -3, 0).map(NODES::textNode)),
                of(1, Arbitraries.longs().map(NODES::numberNode)),
                of(1, Arbitraries.doubles().map(NODES::numberNode)),
                of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
                of(1, Arbitraries.just(NODES.nullNode()))))));
        fields.put("user_tags", optional(upToLimit(validName(FieldLimits.TAG_BYTES), FieldLimits.MAX_USER_TAGS, Contracts::plainTag)
                .map(Contracts::array)));
        return fields;
    }

    private static Map<String, Arbitrary<Optional<JsonNode>>> feedback() {
        Map<String, Arbitrary<Optional<JsonNode>>> fields = new LinkedHashMap<>();
        fields.put("event_id", required(validName(FieldLimits.ID_BYTES)));
        fields.put("tenant", required(validTenant()));
        fields.put("content_id", required(validName(FieldLimits.ID_BYTES)));
        fields.put("tag", required(validName(FieldLimits.TAG_BYTES)));
        fields.put("action", required(Arbitraries.of(FeedbackAction.class).map(a -> NODES.textNode(a.name()))));
        fields.put("actor", optional(validName(FieldLimits.NAME_BYTES)));
        fields.put("occurred_at", required(HostileJson.validTimes().map(NODES::textNode)));
        return fields;
    }

    private static Map<String, Arbitrary<Optional<JsonNode>>> command(TaxonomyCommandType type) {
        boolean needsTarget = type == TaxonomyCommandType.MERGE || type == TaxonomyCommandType.RENAME
                || type == TaxonomyCommandType.ADD_IMPLICATION || type == TaxonomyCommandType.ADD_CONFLICT;
        Map<String, Arbitrary<Optional<JsonNode>>> fields = new LinkedHashMap<>();
        fields.put("command_id", required(validName(FieldLimits.ID_BYTES)));
        fields.put("command", required(Arbitraries.just(NODES.textNode(type.name()))));
        fields.put("tenant", optional(validTenant()));
        fields.put("tag", type == TaxonomyCommandType.SET_POLICY
                ? optional(validName(FieldLimits.TAG_BYTES)) : required(validName(FieldLimits.TAG_BYTES)));
        fields.put("target", needsTarget ? required(validName(FieldLimits.TAG_BYTES)) : optional(validName(FieldLimits.TAG_BYTES)));
        fields.put("attributes", optional(validEntries(FieldLimits.MAX_ATTRIBUTES, Arbitraries.oneOf(
                HostileStrings.freeText(300), HostileStrings.nearLimit(FieldLimits.ATTRIBUTE_VALUE_BYTES, -3, 0))
                .map(NODES::textNode))));
        fields.put("actor", optional(validName(FieldLimits.NAME_BYTES)));
        fields.put("issued_at", required(HostileJson.validTimes().map(NODES::textNode)));
        return fields;
    }

    private static Map<String, Arbitrary<Optional<JsonNode>>> suggest(SuggestAction action) {
        Arbitrary<JsonNode> idea = Arbitraries.oneOf(HostileStrings.freeText(600),
                        Arbitraries.of(HostileStrings.UNITS).map(u -> u.repeat(SuggestRequestReader.MAX_TEXT_LENGTH / u.length())))
                .filter(text -> !text.isBlank()).map(NODES::textNode);
        Map<String, Arbitrary<Optional<JsonNode>>> fields = new LinkedHashMap<>();
        fields.put("request_id", required(validName(FieldLimits.ID_BYTES)));
        fields.put("session_id", required(validName(FieldLimits.ID_BYTES)));
        fields.put("tenant", required(validTenant()));
        fields.put("action", required(Arbitraries.just(NODES.textNode(action.name()))));
        fields.put("text", action == SuggestAction.START ? required(idea) : optional(idea));
        fields.put("choice", action == SuggestAction.START ? absent()
                : optional(Arbitraries.integers().greaterOrEqual(1).map(NODES::numberNode)));
        fields.put("finish", action == SuggestAction.START ? absent() : optional(Arbitraries.of(true, false).map(NODES::booleanNode)));
        fields.put("occurred_at", required(HostileJson.validTimes().map(NODES::textNode)));
        return fields;
    }

    /** A CONTINUE must carry a choice, a text or finish; a START always has its text. */
    private static boolean saysSomething(ObjectNode request) {
        return request.hasNonNull("text") || request.hasNonNull("choice") || request.path("finish").asBoolean(false);
    }

    private static Arbitrary<ObjectNode> record(Map<String, Arbitrary<Optional<JsonNode>>> fields) {
        List<String> names = new ArrayList<>(fields.keySet());
        return Combinators.combine(new ArrayList<>(fields.values())).as(values -> {
            ObjectNode node = NODES.objectNode();
            for (int i = 0; i < names.size(); i++) {
                int at = i;
                values.get(i).ifPresent(value -> node.set(names.get(at), value));
            }
            return node;
        });
    }

    private static Arbitrary<Optional<JsonNode>> required(Arbitrary<JsonNode> value) {
        return value.map(Optional::of);
    }

    /** Absent, an explicit null (which reads as absent), or a value. */
    private static Arbitrary<Optional<JsonNode>> optional(Arbitrary<JsonNode> value) {
        return Arbitraries.frequencyOf(of(1, absent()), of(1, Arbitraries.just(Optional.of(NODES.nullNode()))),
                of(4, value.map(Optional::of)));
    }

    private static Arbitrary<Optional<JsonNode>> absent() {
        return Arbitraries.just(Optional.empty());
    }

    private static Arbitrary<JsonNode> validName(int maxBytes) {
        return HostileStrings.validName(maxBytes).map(NODES::textNode);
    }

    private static Arbitrary<JsonNode> validTenant() {
        return Combinators.combine(Arbitraries.strings().alpha().numeric().ofLength(1),
                        Arbitraries.strings().alpha().numeric().withChars("._-").ofMaxLength(63))
                .as(String::concat).map(NODES::textNode);
    }

    private static Arbitrary<JsonNode> validEntries(int maxEntries, Arbitrary<JsonNode> values) {
        return upToLimit(Combinators.combine(HostileStrings.validName(FieldLimits.NAME_BYTES), values).as(Map::entry),
                maxEntries, Contracts::plainEntry).map(Contracts::object);
    }

    /** Valid lists: a few {@code items}, or now and then {@code max - 1} or {@code max} plain ones. */
    private static <E> Arbitrary<List<E>> upToLimit(Arbitrary<E> items, int max, IntFunction<E> plain) {
        return Arbitraries.frequencyOf(of(6, items.list().ofMaxSize(4)), of(1, plain(max - 1, max, plain)));
    }

    /** Hostile lists: a few {@code items}, or as often {@code max - 1} up to {@code max + 2} plain ones. */
    private static <E> Arbitrary<List<E>> aroundLimit(Arbitrary<E> items, int max, IntFunction<E> plain) {
        return Arbitraries.frequencyOf(of(1, items.list().ofMaxSize(4)), of(1, plain(max - 1, max + 2, plain)));
    }

    /**
     * Lists of {@code min} to {@code max} plain items ("k0", "k1", ..., entries of "v"), valid but
     * for their number: counts at the limit without generating sixty-four hostile strings each time.
     */
    private static <E> Arbitrary<List<E>> plain(int min, int max, IntFunction<E> plain) {
        return Arbitraries.integers().between(min, max).map(count -> {
            List<E> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                all.add(plain.apply(i));
            }
            return all;
        });
    }

    private static JsonNode plainTag(int i) {
        return NODES.textNode("k" + i);
    }

    private static Map.Entry<String, JsonNode> plainEntry(int i) {
        return Map.entry("k" + i, NODES.textNode("v"));
    }

    // ---- hostile values ----------------------------------------------------------------------

    private static Map<String, Arbitrary<JsonNode>> hostile(Object... fieldsAndValues) {
        Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            Arbitrary<JsonNode> value = (Arbitrary<JsonNode>) fieldsAndValues[i + 1];
            fields.put((String) fieldsAndValues[i], value);
        }
        return fields;
    }

    private static Arbitrary<JsonNode> id() {
        return name(FieldLimits.ID_BYTES);
    }

    private static Arbitrary<JsonNode> name(int maxBytes) {
        return HostileStrings.name(maxBytes).map(NODES::textNode);
    }

    private static Arbitrary<JsonNode> tenant() {
        return Arbitraries.oneOf(validTenant(), name(64), Arbitraries.of("acme/x", ".acme", "a".repeat(65), "ACME\u0000",
                "acme ", "ａｃｍｅ").map(NODES::textNode));
    }

    private static Arbitrary<JsonNode> enumName(Class<? extends Enum<?>> type) {
        List<String> names = new ArrayList<>();
        for (Enum<?> constant : type.getEnumConstants()) {
            names.add(constant.name());
            names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
            names.add(" " + constant.name());
            names.add(constant.name() + "\u0000");
        }
        return Arbitraries.oneOf(Arbitraries.of(names), HostileStrings.anyString()).map(NODES::textNode);
    }

    private static Arbitrary<JsonNode> number() {
        return Arbitraries.oneOf(HostileJson.values(0), Arbitraries.longs().map(NODES::numberNode));
    }

    private static Arbitrary<JsonNode> time() {
        return HostileJson.times().map(NODES::textNode);
    }

    private static Arbitrary<JsonNode> text(int maxChars) {
        return HostileStrings.freeText(maxChars).map(NODES::textNode);
    }

    private static Arbitrary<JsonNode> tags(int maxTags) {
        return aroundLimit(Arbitraries.oneOf(HostileStrings.name(FieldLimits.TAG_BYTES).map(NODES::textNode), HostileJson.values(0)),
                maxTags, Contracts::plainTag).map(Contracts::array);
    }

    private static Arbitrary<JsonNode> entries(int maxEntries, Arbitrary<JsonNode> values) {
        return aroundLimit(Combinators.combine(HostileStrings.name(FieldLimits.NAME_BYTES), values).as(Map::entry), maxEntries,
                Contracts::plainEntry)
                .map(Contracts::object);
    }

    private static FieldEdit set(String field, JsonNode value) {
        return new FieldEdit(StoreInvariants.describe(field) + "=" + HostileJson.abbreviate(value.toString()),
                node -> node.set(field, value.deepCopy()));
    }

    private static JsonNode array(List<? extends Object> items) {
        ArrayNode array = NODES.arrayNode();
        for (Object item : items) {
            array.add(item instanceof JsonNode node ? node : NODES.textNode(item.toString()));
        }
        return array;
    }

    private static JsonNode object(List<? extends Map.Entry<String, JsonNode>> entries) {
        ObjectNode object = NODES.objectNode();
        entries.forEach(e -> object.set(e.getKey(), e.getValue()));
        return object;
    }
}
