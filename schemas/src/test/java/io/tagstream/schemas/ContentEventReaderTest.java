package io.tagstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentEventReaderTest {

    private final ContentEventReader reader = new ContentEventReader(IngestLimits.DEFAULT);

    @Nested
    class ValidEvents {

        @Test
        void readsEveryField() throws Exception {
            ContentEvent event = reader.read(utf8("""
                    {
                      "event_id": "evt-1",
                      "tenant": "acme.news-1",
                      "content_id": "article-42",
                      "op": "UPSERT",
                      "version": 7,
                      "occurred_at": "2026-01-31T12:00:00Z",
                      "title": "Kafka 與 Flink",
                      "body": "Stream processing",
                      "lang": "zh-TW",
                      "source": "cms",
                      "metadata": {"author": "ann", "words": 1200, "ratio": 0.5, "draft": false, "editor": null},
                      "user_tags": ["kafka", "流處理"],
                      "field_nobody_knows": {"ignored": true}
                    }
                    """));

            assertThat(event.eventId()).isEqualTo("evt-1");
            assertThat(event.tenant()).isEqualTo("acme.news-1");
            assertThat(event.contentId()).isEqualTo("article-42");
            assertThat(event.op()).isEqualTo(ContentOp.UPSERT);
            assertThat(event.version()).isEqualTo(7L);
            assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
            assertThat(event.title()).isEqualTo("Kafka 與 Flink");
            assertThat(event.body()).isEqualTo("Stream processing");
            assertThat(event.lang()).isEqualTo("zh-TW");
            assertThat(event.source()).isEqualTo("cms");
            assertThat(event.metadata())
                    .hasSize(5)
                    .containsEntry("author", "ann")
                    .containsEntry("words", "1200")
                    .containsEntry("ratio", "0.5")
                    .containsEntry("draft", "false")
                    .containsEntry("editor", null);
            assertThat(event.userTags()).containsExactly("kafka", "流處理");
            assertThat(event.contentKey()).isEqualTo("acme.news-1/article-42");
        }

        @Test
        void readsAMinimalDeleteWithDefaultsForOptionalFields() throws Exception {
            ContentEvent event = reader.read(bytes(minimal().put("op", "DELETE")));

            assertThat(event.op()).isEqualTo(ContentOp.DELETE);
            assertThat(event.version()).isNull();
            assertThat(event.title()).isNull();
            assertThat(event.body()).isNull();
            assertThat(event.lang()).isNull();
            assertThat(event.source()).isNull();
            assertThat(event.metadata()).isEmpty();
            assertThat(event.userTags()).isEmpty();
        }

        @Test
        void treatsExplicitNullsOfOptionalFieldsAsAbsent() throws Exception {
            ObjectNode node = minimal();
            for (String field : List.of("version", "title", "body", "lang", "source", "metadata", "user_tags")) {
                node.putNull(field);
            }

            ContentEvent event = reader.read(bytes(node));

            assertThat(event.version()).isNull();
            assertThat(event.title()).isNull();
            assertThat(event.metadata()).isEmpty();
            assertThat(event.userTags()).isEmpty();
        }

        @Test
        void acceptsVersionZero() throws Exception {
            assertThat(reader.read(bytes(minimal().put("version", 0))).version()).isZero();
        }

        @Test
        void convertsAnOffsetInstantToUtc() throws Exception {
            ContentEvent event = reader.read(bytes(minimal().put("occurred_at", "2026-01-31T14:00:00+02:00")));

            assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        }

        @Test
        void acceptsIdsOfExactly512CharactersAndTenantsOf64() throws Exception {
            String tenant = "t" + "x".repeat(63);
            ContentEvent event = reader.read(bytes(minimal()
                    .put("event_id", "e".repeat(512))
                    .put("content_id", "c".repeat(512))
                    .put("tenant", tenant)));

            assertThat(event.eventId()).hasSize(512);
            assertThat(event.contentId()).hasSize(512);
            assertThat(event.tenant()).isEqualTo(tenant);
        }

        @Test
        void readsBackWhatJsonWrites() throws Exception {
            ContentEvent original = new ContentEvent("evt-9", "acme", "c-1", ContentOp.UPSERT, 3L,
                    Instant.parse("2026-02-01T08:30:00.123Z"), "Title", "Body", "en", "feed",
                    Map.of("k", "v"), List.of("a", "b"));

            assertThat(reader.read(Json.toBytes(original))).isEqualTo(original);
        }

        @Test
        void acceptsARecordOfExactlyTheSizeLimit() throws Exception {
            byte[] record = paddedTo(100);

            ContentEvent event = new ContentEventReader(IngestLimits.DEFAULT.withMaxRecordBytes(100)).read(record);

            assertThat(event.eventId()).isEqualTo("eeee");
            assertThat(event.tenant()).isEqualTo("a");
        }
    }

    @Nested
    class Rejections {

        @Test
        void rejectsEmptyAndMissingBytes() {
            assertThat(rejection(new byte[0])).isEqualTo("empty record");
            assertThat(rejection(null)).isEqualTo("empty record");
        }

        @Test
        void rejectsTextThatIsNotJson() {
            assertThat(rejection(utf8("hello")))
                    .isEqualTo("not JSON: Unrecognized token 'hello': was expecting "
                            + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
        }

        @Test
        void rejectsTruncatedJsonWithTheFirstLineOfTheParserMessage() {
            String message = rejection(utf8("{\"event_id\": \"e1\", \"tenant\": \"acme\""));

            assertThat(message)
                    .startsWith("not JSON: Unexpected end-of-input: expected close marker for Object")
                    .doesNotContain("\n");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[{\"event_id\": \"e1\"}]", "42", "\"text\"", "null", "   "})
        void rejectsJsonThatIsNotAnObject(String json) {
            assertThat(rejection(utf8(json))).isEqualTo("not a JSON object");
        }

        /**
         * Two events written into one Kafka record (or one event followed by garbage) are not
         * JSON; today the parser stops after the first value, so the rest vanishes unreported.
         */
        @Test
        void rejectsTwoConcatenatedEventsInsteadOfSilentlyDroppingTheSecond() {
            byte[] record = concat(bytes(minimal()), bytes(minimal().put("event_id", "e2")));

            assertThat(rejection(record)).startsWith("not JSON: ");
        }

        @Test
        void rejectsInvalidUtf8InsideAString() {
            byte[] record = concat(utf8("{\"event_id\": \"e"), new byte[] {(byte) 0xC3, 0x28}, utf8("\"}"));

            assertThat(rejection(record)).isEqualTo("not JSON: Invalid UTF-8 middle byte 0x28");
        }

        @Test
        void rejectsALoneInvalidStartByte() {
            byte[] record = concat(utf8("{\"title\": \""), new byte[] {(byte) 0xFF}, utf8("\"}"));

            assertThat(rejection(record)).isEqualTo("not JSON: Invalid UTF-8 start byte 0xff");
        }

        @Test
        void rejectsARecordOverTheSizeLimitBeforeParsing() {
            ContentEventReader small = new ContentEventReader(IngestLimits.DEFAULT.withMaxRecordBytes(100));
            byte[] record = paddedTo(101);

            InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> small.read(record));

            assertThat(e).hasMessage("record of 101 bytes exceeds the limit of 100 bytes");
        }

        @Test
        void rejectsOversizeRecordsEvenWhenTheyAreNotJson() {
            ContentEventReader small = new ContentEventReader(IngestLimits.DEFAULT.withMaxRecordBytes(100));

            assertThatThrownBy(() -> small.read(new byte[150]))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage("record of 150 bytes exceeds the limit of 100 bytes");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.tagstream.schemas.ContentEventReaderTest#invalidFields")
        void rejectsInvalidFields(String description, ObjectNode record, String expectedMessage) {
            assertThat(rejection(bytes(record))).isEqualTo(expectedMessage);
        }

        @Test
        void abbreviatesLongValuesInMessages() {
            String tenant = "a/" + "b".repeat(100);

            assertThat(rejection(bytes(minimal().put("tenant", tenant))))
                    .isEqualTo("field 'tenant' must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}, was '"
                            + tenant.substring(0, 80) + "…'");
        }
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> IngestLimits.DEFAULT.withMaxRecordBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRecordBytes must be positive, was 0");
    }

    @Test
    void reportsItsLimit() {
        assertThat(new ContentEventReader(IngestLimits.DEFAULT.withMaxRecordBytes(100)).limits().maxRecordBytes()).isEqualTo(100);
    }

    static Stream<Arguments> invalidFields() {
        String iso = "must be an ISO-8601 instant (e.g. 2026-01-31T12:00:00Z), was ";
        String tenantRule = "field 'tenant' must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}, was ";
        return Stream.of(
                invalid("missing event_id", without("event_id"), "missing required field 'event_id'"),
                invalid("missing tenant", without("tenant"), "missing required field 'tenant'"),
                invalid("missing content_id", without("content_id"), "missing required field 'content_id'"),
                invalid("missing op", without("op"), "missing required field 'op'"),
                invalid("missing occurred_at", without("occurred_at"), "missing required field 'occurred_at'"),
                invalid("null event_id", with("event_id", "null"), "missing required field 'event_id'"),
                invalid("blank event_id", with("event_id", "\"  \""), "field 'event_id' must not be blank"),
                invalid("empty content_id", with("content_id", "\"\""), "field 'content_id' must not be blank"),
                invalid("event_id over 512 chars", with("event_id", quoted("e".repeat(513))),
                        "field 'event_id' is 513 bytes in UTF-8, more than 512: '" + "e".repeat(80) + "…'"),
                invalid("content_id over 512 chars", with("content_id", quoted("c".repeat(513))),
                        "field 'content_id' is 513 bytes in UTF-8, more than 512: '" + "c".repeat(80) + "…'"),
                invalid("event_id as number", with("event_id", "17"), "field 'event_id' must be a string, was number"),
                invalid("version as string", with("version", "\"3\""), "field 'version' must be an integer, was string"),
                invalid("version as fraction", with("version", "1.5"), "field 'version' must be an integer, was number"),
                invalid("version beyond long", with("version", "92233720368547758070"),
                        "field 'version' must be an integer, was number"),
                invalid("negative version", with("version", "-1"), "field 'version' must not be negative, was -1"),
                invalid("title as number", with("title", "12"), "field 'title' must be a string, was number"),
                invalid("body as array", with("body", "[\"x\"]"), "field 'body' must be a string, was array"),
                invalid("lang as boolean", with("lang", "true"), "field 'lang' must be a string, was boolean"),
                invalid("metadata nested object", with("metadata", "{\"author\": {\"name\": \"ann\"}}"),
                        "field 'metadata.author' must be a string, number or boolean"),
                invalid("metadata nested array", with("metadata", "{\"tags\": [1]}"),
                        "field 'metadata.tags' must be a string, number or boolean"),
                invalid("metadata not an object", with("metadata", "\"x\""),
                        "field 'metadata' must be an object, was string"),
                invalid("user_tags not an array", with("user_tags", "\"kafka\""),
                        "field 'user_tags' must be an array of strings, was string"),
                invalid("user_tags with a number", with("user_tags", "[\"kafka\", 3]"),
                        "field 'user_tags' must hold non-blank strings only"),
                invalid("user_tags with a blank", with("user_tags", "[\" \"]"),
                        "field 'user_tags' must hold non-blank strings only"),
                invalid("unknown op", with("op", "\"CREATE\""), "field 'op' must be UPSERT or DELETE, was 'CREATE'"),
                invalid("lower-case op", with("op", "\"upsert\""), "field 'op' must be UPSERT or DELETE, was 'upsert'"),
                invalid("op as number", with("op", "1"), "field 'op' must be a string, was number"),
                invalid("occurred_at not a date", with("occurred_at", "\"yesterday\""),
                        "field 'occurred_at' " + iso + "'yesterday'"),
                invalid("occurred_at without zone", with("occurred_at", "\"2026-01-31T12:00:00\""),
                        "field 'occurred_at' " + iso + "'2026-01-31T12:00:00'"),
                invalid("occurred_at date only", with("occurred_at", "\"2026-01-31\""),
                        "field 'occurred_at' " + iso + "'2026-01-31'"),
                invalid("occurred_at as epoch number", with("occurred_at", "1767182400000"),
                        "field 'occurred_at' must be a string, was number"),
                invalid("tenant with slash", with("tenant", "\"acme/news\""), tenantRule + "'acme/news'"),
                invalid("tenant starting with dot", with("tenant", "\".acme\""), tenantRule + "'.acme'"),
                invalid("tenant with space", with("tenant", "\"ac me\""), tenantRule + "'ac me'"),
                invalid("tenant of 65 chars", with("tenant", quoted("t".repeat(65))), tenantRule + "'" + "t".repeat(65) + "'"));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private String rejection(byte[] raw) {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> reader.read(raw));
        assertThat(e).as("expected the record to be rejected").isNotNull();
        return e.getMessage();
    }

    private static Arguments invalid(String description, ObjectNode record, String message) {
        return Arguments.of(description, record, message);
    }

    /** The smallest valid record. */
    static ObjectNode minimal() {
        return Json.mapper().createObjectNode()
                .put("event_id", "e1")
                .put("tenant", "acme")
                .put("content_id", "c1")
                .put("op", "UPSERT")
                .put("occurred_at", "2026-01-31T12:00:00Z");
    }

    /** The minimal record with one-letter tenant and content id, to fit under small limits. */
    private static ObjectNode compact(String eventId) {
        return minimal().put("event_id", eventId).put("tenant", "a").put("content_id", "c");
    }

    private static ObjectNode without(String field) {
        ObjectNode node = minimal();
        node.remove(field);
        return node;
    }

    private static ObjectNode with(String field, String rawJsonValue) {
        ObjectNode node = minimal();
        node.set(field, parse(rawJsonValue));
        return node;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String quoted(String text) {
        return '"' + text + '"';
    }

    /** A valid record whose event id is padded so that it is exactly {@code size} bytes long. */
    private static byte[] paddedTo(int size) {
        int base = bytes(compact("")).length;
        byte[] record = bytes(compact("e".repeat(size - base)));
        assertThat(record).hasSize(size);
        return record;
    }

    private static byte[] bytes(ObjectNode node) {
        return Json.toBytes(node);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
