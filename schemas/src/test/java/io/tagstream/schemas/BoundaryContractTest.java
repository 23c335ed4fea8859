package io.tagstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The boundary contract at its default limits: the values that used to pass parsing and then fail
 * a store on every restart are refused at parse, with the field and the reason.
 */
class BoundaryContractTest {
    private static final Instant READ_AT = Instant.parse("2026-12-08T10:00:00Z");
    private static final ContentEventReader CONTENT = new ContentEventReader(IngestLimits.DEFAULT);
    private static final FeedbackEventReader FEEDBACK = new FeedbackEventReader(IngestLimits.DEFAULT);
    private static final TaxonomyCommandReader COMMANDS = new TaxonomyCommandReader(IngestLimits.DEFAULT);

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedContent")
    void refusesContentNoStoreCouldHold(String description, ObjectNode record, String message) {
        assertThat(rejection(CONTENT, record)).isEqualTo(message);
    }

    static Stream<Arguments> refusedContent() {
        return Stream.of(
                Arguments.of("NUL in a content id", content().put("content_id", "ab\u0000c"),
                        "field 'content_id' must not hold control characters, has U+0000 at 2"),
                Arguments.of("a line feed in an event id", content().put("event_id", "e\n1"),
                        "field 'event_id' must not hold control characters, has U+000A at 1"),
                Arguments.of("a lone surrogate in a content id", content().put("content_id", "x\uD800y"),
                        "field 'content_id' is not valid Unicode: a lone surrogate at 1"),
                Arguments.of("a 200-character Chinese content id (600 bytes)", content().put("content_id", "貓".repeat(200)),
                        "field 'content_id' is 600 bytes in UTF-8, more than 512: '" + "貓".repeat(80) + "…'"),
                Arguments.of("a 40 kB user tag", withUserTags("t".repeat(40_000)),
                        "field 'user_tags' is 40000 bytes in UTF-8, more than 256: '" + "t".repeat(80) + "…'"),
                Arguments.of("NUL in a user tag", withUserTags("kafka\u0000"),
                        "field 'user_tags' must not hold control characters, has U+0000 at 5"),
                Arguments.of("65 user tags", withUserTags(Stream.iterate(0, i -> i + 1).limit(65).map(i -> "t" + i)
                        .toArray(String[]::new)), "field 'user_tags' has 65 tags, more than 64"),
                Arguments.of("a 36-byte language", content().put("lang", "x".repeat(36)),
                        "field 'lang' is 36 bytes in UTF-8, more than 35: '" + "x".repeat(36) + "'"),
                Arguments.of("a control character in a metadata key", withMetadata("a\u0001", "v"),
                        "field 'metadata key' must not hold control characters, has U+0001 at 1"),
                Arguments.of("a 5 kB metadata value", withMetadata("k", "v".repeat(5000)),
                        "field 'metadata.k' is more than 4096 bytes in UTF-8"),
                Arguments.of("an event time in 2098", content().put("occurred_at", "2098-01-01T00:00:00Z"),
                        "field 'occurred_at' lies in the future: 2098-01-01T00:00:00Z is later than "
                                + "2026-12-08T11:00:00Z, the time the record was read plus the allowed skew "
                                + "(ingest.max-future-skew-ms); dlq replay sends it again once its time has come"));
    }

    @Test
    void acceptsWhatEveryStoreCanHoldUpToTheLimits() throws Exception {
        String longestChineseId = "貓".repeat(170); // 510 bytes
        ObjectNode record = content()
                .put("content_id", longestChineseId)
                .put("occurred_at", READ_AT.plus(Duration.ofMinutes(59)).toString());
        record.putArray("user_tags").add("t".repeat(FieldLimits.TAG_BYTES));

        ContentEvent event = CONTENT.read(Json.toBytes(record), READ_AT);

        assertThat(event.contentId()).isEqualTo(longestChineseId);
        assertThat(event.userTags()).containsExactly("t".repeat(FieldLimits.TAG_BYTES));
    }

    @Test
    void replacesWhatNoStoreCanHoldInFreeText() throws Exception {
        ObjectNode record = content().put("title", "Kafka\u0000 streams").put("body", "half a pair \uD83D end\u0007");

        ContentEvent event = CONTENT.read(Json.toBytes(record), READ_AT);

        assertThat(event.title()).isEqualTo("Kafka\uFFFD streams");
        assertThat(event.body()).as("a lone surrogate is replaced; other control characters are text")
                .isEqualTo("half a pair \uFFFD end\u0007");
    }

    @Test
    void theAllowedSkewIsASetting() throws Exception {
        ObjectNode record = content().put("occurred_at", READ_AT.plus(Duration.ofHours(3)).toString());
        ContentEventReader lenient = new ContentEventReader(new IngestLimits(1024 * 1024, Duration.ofHours(4)));

        assertThat(lenient.read(Json.toBytes(record), READ_AT).occurredAt()).isEqualTo(READ_AT.plus(Duration.ofHours(3)));
        assertThat(rejection(CONTENT, record)).contains("lies in the future");
    }

    @Test
    void feedbackTagsAndActorsAreNames() {
        assertThat(rejection(FEEDBACK, feedback().put("actor", "ann\u0000")))
                .isEqualTo("field 'actor' must not hold control characters, has U+0000 at 3");
        assertThat(rejection(FEEDBACK, feedback().put("tag", "x".repeat(257))))
                .startsWith("field 'tag' is 257 bytes in UTF-8, more than 256");
        assertThat(rejection(FEEDBACK, feedback().put("occurred_at", "2098-01-01T00:00:00Z")))
                .startsWith("field 'occurred_at' lies in the future");
    }

    @Test
    void taxonomyCommandsBoundTheirTagsAndAttributes() {
        ObjectNode longAlias = command();
        longAlias.putObject("attributes").put("alias", "a".repeat(1025));
        ObjectNode manyAttributes = command();
        ObjectNode attributes = manyAttributes.putObject("attributes");
        for (int i = 0; i < 33; i++) {
            attributes.put("k" + i, "v");
        }

        assertThat(rejection(COMMANDS, command().put("tag", "topic::\u0000"))).contains("control characters");
        assertThat(rejection(COMMANDS, longAlias)).isEqualTo("field 'attributes.alias' is more than 1024 bytes in UTF-8");
        assertThat(rejection(COMMANDS, manyAttributes)).isEqualTo("field 'attributes' has 33 entries, more than 32");
        assertThat(rejection(COMMANDS, command().put("issued_at", "2098-01-01T00:00:00Z"))).contains("lies in the future");
    }

    @Test
    void errorsQuoteHostileValuesSafely() {
        String message = rejection(CONTENT, content().put("tenant", "a\u0000b"));

        assertThat(message).isEqualTo("field 'tenant' must match " + JsonFields.TENANT.pattern() + ", was 'a\\u0000b'");
    }

    /** Found by ReaderFuzzing, shrunk to these three bytes: the parser's message quotes the token it could not read. */
    @Test
    void errorsQuoteWhatTheParserCouldNotReadSafely() {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> CONTENT.read(new byte[] {(byte) 0xFF, 0x01, 0x00}, READ_AT));

        assertThat(e).hasMessage("not JSON: Unrecognized token '\u00FF\\u0001\\u0000': was expecting"
                + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    }

    private static String rejection(RecordReader<?> reader, ObjectNode record) {
        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class,
                () -> reader.read(Json.toBytes(record), READ_AT));
        assertThat(e).as("refused: " + record).isNotNull();
        return e.getMessage();
    }

    private static ObjectNode content() {
        return Json.mapper().createObjectNode()
                .put("event_id", "e-1")
                .put("tenant", "acme")
                .put("content_id", "c-1")
                .put("op", "UPSERT")
                .put("occurred_at", "2026-12-08T09:00:00Z");
    }

    private static ObjectNode withUserTags(String... tags) {
        ObjectNode record = content();
        ArrayNode array = record.putArray("user_tags");
        for (String tag : tags) {
            array.add(tag);
        }
        return record;
    }

    private static ObjectNode withMetadata(String key, String value) {
        ObjectNode record = content();
        record.putObject("metadata").put(key, value);
        return record;
    }

    private static ObjectNode feedback() {
        return Json.mapper().createObjectNode()
                .put("event_id", "f-1")
                .put("tenant", "acme")
                .put("content_id", "c-1")
                .put("tag", "topic::kafka")
                .put("action", "ACCEPT")
                .put("occurred_at", "2026-12-08T09:00:00Z");
    }

    private static ObjectNode command() {
        return Json.mapper().createObjectNode()
                .put("command_id", "m-1")
                .put("command", "ADD_TAG")
                .put("tag", "topic::kafka")
                .put("issued_at", "2026-12-08T09:00:00Z");
    }
}
