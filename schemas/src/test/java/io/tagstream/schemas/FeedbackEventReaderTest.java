package io.tagstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FeedbackEventReaderTest {

    private final FeedbackEventReader reader = new FeedbackEventReader(IngestLimits.DEFAULT);

    @Test
    void readsEveryField() throws Exception {
        FeedbackEvent event = reader.read(utf8("""
                {
                  "event_id": "fb-1",
                  "tenant": "acme.news-1",
                  "content_id": "article-42",
                  "tag": "串流處理",
                  "action": "REJECT",
                  "actor": "editor-7",
                  "occurred_at": "2026-01-31T14:00:00+02:00",
                  "field_nobody_knows": [1, 2]
                }
                """));

        assertThat(event).isEqualTo(new FeedbackEvent("fb-1", "acme.news-1", "article-42", "串流處理",
                FeedbackAction.REJECT, "editor-7", Instant.parse("2026-01-31T12:00:00Z")));
    }

    @ParameterizedTest
    @EnumSource(FeedbackAction.class)
    void readsEveryAction(FeedbackAction action) throws Exception {
        assertThat(reader.read(bytes(minimal().put("action", action.name()))).action()).isEqualTo(action);
    }

    @Test
    void theActorIsOptionalAndAnExplicitNullIsAbsent() throws Exception {
        assertThat(reader.read(bytes(minimal())).actor()).isNull();
        assertThat(reader.read(bytes(minimal().putNull("actor"))).actor()).isNull();
    }

    @Test
    void maxRecordBytesIsTheConfiguredLimit() {
        assertThat(new FeedbackEventReader(IngestLimits.DEFAULT.withMaxRecordBytes(4096)).limits().maxRecordBytes()).isEqualTo(4096);
    }

    @ParameterizedTest
    @ValueSource(strings = {"event_id", "tenant", "content_id", "tag", "action", "occurred_at"})
    void aMissingRequiredFieldIsNamed(String field) {
        ObjectNode node = minimal();
        node.remove(field);

        assertThatThrownBy(() -> reader.read(bytes(node)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("missing required field '" + field + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"event_id", "tenant", "content_id", "tag", "action", "occurred_at"})
    void aNullRequiredFieldIsMissing(String field) {
        assertThatThrownBy(() -> reader.read(bytes(minimal().putNull(field))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("missing required field '" + field + "'");
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of(minimal().put("action", "LIKE"),
                        "field 'action' must be one of ACCEPT, REJECT, ADD, REMOVE, was 'LIKE'"),
                Arguments.of(minimal().put("action", "accept"),
                        "field 'action' must be one of ACCEPT, REJECT, ADD, REMOVE, was 'accept'"),
                Arguments.of(minimal().put("tenant", "acme/eu"),
                        "field 'tenant' must match " + JsonFields.TENANT.pattern() + ", was 'acme/eu'"),
                Arguments.of(minimal().put("tenant", "-acme"),
                        "field 'tenant' must match " + JsonFields.TENANT.pattern() + ", was '-acme'"),
                Arguments.of(minimal().put("tenant", "t".repeat(65)),
                        "field 'tenant' must match " + JsonFields.TENANT.pattern() + ", was '" + "t".repeat(65) + "'"),
                Arguments.of(minimal().put("tag", "   "), "field 'tag' must not be blank"),
                Arguments.of(minimal().put("tag", 7), "field 'tag' must be a string, was number"),
                Arguments.of(minimal().put("content_id", "c".repeat(513)),
                        "field 'content_id' is 513 bytes in UTF-8, more than 512: '" + "c".repeat(80) + "…'"),
                Arguments.of(minimal().put("actor", true), "field 'actor' must be a string, was boolean"),
                Arguments.of(minimal().put("occurred_at", "yesterday"),
                        "field 'occurred_at' must be an ISO-8601 instant (e.g. 2026-01-31T12:00:00Z), was 'yesterday'"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsAFieldThatBreaksTheContract(ObjectNode node, String message) {
        assertThatThrownBy(() -> reader.read(bytes(node)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsTrailingGarbageAfterTheObject() {
        byte[] raw = utf8(Json.toString(minimal()) + " {\"event_id\": \"fb-2\"}");

        assertThatThrownBy(() -> reader.read(raw))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("not JSON: Trailing token");
    }

    @Test
    void rejectsWhatIsNotAJsonObject() {
        assertThatThrownBy(() -> reader.read(utf8("[]")))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("not a JSON object");
        assertThatThrownBy(() -> reader.read(new byte[0]))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("empty record");
    }

    @Test
    void rejectsARecordOverTheLimitUnread() {
        FeedbackEventReader small = new FeedbackEventReader(IngestLimits.DEFAULT.withMaxRecordBytes(16));
        byte[] raw = bytes(minimal());

        assertThatThrownBy(() -> small.read(raw))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("record of " + raw.length + " bytes exceeds the limit of 16 bytes");
    }

    private static ObjectNode minimal() {
        return Json.mapper().createObjectNode()
                .put("event_id", "fb-1")
                .put("tenant", "acme")
                .put("content_id", "c1")
                .put("tag", "kafka")
                .put("action", "ACCEPT")
                .put("occurred_at", "2026-01-31T12:00:00Z");
    }

    private static byte[] bytes(ObjectNode node) {
        return Json.toBytes(node);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
