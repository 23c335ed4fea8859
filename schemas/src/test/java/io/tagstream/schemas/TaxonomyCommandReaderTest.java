package io.tagstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaxonomyCommandReaderTest {

    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");
    private static final String ALLOWED_COMMANDS = "ADD_TAG, UPDATE_TAG, ADD_ALIAS, MERGE, RENAME, ADD_IMPLICATION, "
            + "ADD_CONFLICT, BLOCK_TAG, SET_POLICY";

    private final TaxonomyCommandReader reader = new TaxonomyCommandReader(IngestLimits.DEFAULT);

    @Test
    void readsEveryFieldOfAMerge() throws Exception {
        TaxonomyCommand command = reader.read(utf8("""
                {
                  "command_id": "cmd-1",
                  "command": "MERGE",
                  "tenant": "acme",
                  "tag": "apache-kafka",
                  "target": "kafka",
                  "attributes": {"note": "duplicate", "label": "卡夫卡"},
                  "actor": "curator-3",
                  "issued_at": "2026-01-31T13:00:00+01:00"
                }
                """));

        assertThat(command).isEqualTo(new TaxonomyCommand("cmd-1", TaxonomyCommandType.MERGE, "acme", "apache-kafka",
                "kafka", Map.of("note", "duplicate", "label", "卡夫卡"), "curator-3", T0));
    }

    @Test
    void readsAnAddTagOfTheGlobalTaxonomyWithoutTargetOrActor() throws Exception {
        TaxonomyCommand command = reader.read(bytes(base("ADD_TAG").put("tag", "rust")
                .set("attributes", Json.mapper().createObjectNode().put("dimension", "tech").put("label", "Rust"))));

        assertThat(command).isEqualTo(new TaxonomyCommand("cmd-1", TaxonomyCommandType.ADD_TAG, null, "rust", null,
                Map.of("dimension", "tech", "label", "Rust"), null, T0));
    }

    @ParameterizedTest
    @EnumSource(value = TaxonomyCommandType.class, names = {"ADD_TAG", "UPDATE_TAG", "ADD_ALIAS", "BLOCK_TAG"})
    void commandsAboutOneTagNeedNoTarget(TaxonomyCommandType type) throws Exception {
        TaxonomyCommand command = reader.read(bytes(base(type.name()).put("tag", "kafka")));

        assertThat(command.command()).isEqualTo(type);
        assertThat(command.tag()).isEqualTo("kafka");
        assertThat(command.target()).isNull();
        assertThat(command.attributes()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TaxonomyCommandType.class, names = {"MERGE", "RENAME", "ADD_IMPLICATION", "ADD_CONFLICT"})
    void commandsAboutTwoTagsReadTheirTarget(TaxonomyCommandType type) throws Exception {
        TaxonomyCommand command = reader.read(bytes(base(type.name()).put("tag", "kafka").put("target", "streaming")));

        assertThat(command.command()).isEqualTo(type);
        assertThat(command.tag()).isEqualTo("kafka");
        assertThat(command.target()).isEqualTo("streaming");
    }

    @ParameterizedTest
    @EnumSource(value = TaxonomyCommandType.class, names = {"MERGE", "RENAME", "ADD_IMPLICATION", "ADD_CONFLICT"})
    void commandsAboutTwoTagsRequireATarget(TaxonomyCommandType type) {
        assertThatThrownBy(() -> reader.read(bytes(base(type.name()).put("tag", "kafka"))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("missing required field 'target'");
        assertThatThrownBy(() -> reader.read(bytes(base(type.name()).put("tag", "kafka").put("target", " "))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("field 'target' must not be blank");
    }

    @ParameterizedTest
    @EnumSource(value = TaxonomyCommandType.class, mode = EnumSource.Mode.EXCLUDE, names = "SET_POLICY")
    void everyCommandButSetPolicyRequiresATag(TaxonomyCommandType type) {
        assertThatThrownBy(() -> reader.read(bytes(base(type.name()).put("target", "streaming"))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("missing required field 'tag'");
    }

    @Test
    void setPolicyNeedsNoTag() throws Exception {
        TaxonomyCommand command = reader.read(bytes(base("SET_POLICY").put("tenant", "acme")
                .set("attributes", Json.mapper().createObjectNode().put("max_nsfw", "r15"))));

        assertThat(command).isEqualTo(new TaxonomyCommand("cmd-1", TaxonomyCommandType.SET_POLICY, "acme", null,
                null, Map.of("max_nsfw", "r15"), null, T0));
    }

    @Test
    void setPolicyMayStillNameATag() throws Exception {
        assertThat(reader.read(bytes(base("SET_POLICY").put("tenant", "acme").put("tag", "nsfw"))).tag())
                .isEqualTo("nsfw");
    }

    @Test
    void aNullTenantOrAttributesAreAbsent() throws Exception {
        TaxonomyCommand command = reader.read(bytes(base("BLOCK_TAG").put("tag", "kafka").putNull("tenant")
                .putNull("attributes")));

        assertThat(command.tenant()).isNull();
        assertThat(command.attributes()).isEmpty();
    }

    @Test
    void maxRecordBytesIsTheConfiguredLimit() {
        assertThat(new TaxonomyCommandReader(IngestLimits.DEFAULT.withMaxRecordBytes(2048)).limits().maxRecordBytes()).isEqualTo(2048);
    }

    @ParameterizedTest
    @ValueSource(strings = {"command_id", "command", "issued_at"})
    void aMissingRequiredFieldIsNamed(String field) {
        ObjectNode node = base("BLOCK_TAG").put("tag", "kafka");
        node.remove(field);

        assertThatThrownBy(() -> reader.read(bytes(node)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("missing required field '" + field + "'");
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of(base("DELETE_TAG").put("tag", "kafka"),
                        "field 'command' must be one of " + ALLOWED_COMMANDS + ", was 'DELETE_TAG'"),
                Arguments.of(base("merge").put("tag", "kafka").put("target", "streaming"),
                        "field 'command' must be one of " + ALLOWED_COMMANDS + ", was 'merge'"),
                Arguments.of(base("BLOCK_TAG").put("tag", "kafka").put("tenant", "acme eu"),
                        "field 'tenant' must match " + JsonFields.TENANT.pattern() + ", was 'acme eu'"),
                Arguments.of(base("BLOCK_TAG").put("tag", "kafka").put("tenant", ""),
                        "field 'tenant' must not be blank"),
                Arguments.of(base("BLOCK_TAG").put("tag", "kafka").put("tenant", 42),
                        "field 'tenant' must be a string, was number"),
                Arguments.of(base("BLOCK_TAG").put("tag", 42), "field 'tag' must be a string, was number"),
                Arguments.of(base("SET_POLICY").put("tenant", "acme").put("tag", 42),
                        "field 'tag' must be a string, was number"),
                Arguments.of(base("BLOCK_TAG").put("tag", "kafka").put("target", 1),
                        "field 'target' must be a string, was number"),
                Arguments.of(base("BLOCK_TAG").put("tag", "kafka").put("actor", false),
                        "field 'actor' must be a string, was boolean"),
                Arguments.of(base("BLOCK_TAG").put("tag", "kafka").put("issued_at", "2026-01-31"),
                        "field 'issued_at' must be an ISO-8601 instant (e.g. 2026-01-31T12:00:00Z), was '2026-01-31'"),
                Arguments.of(withAttributes(base("ADD_TAG").put("tag", "rust"),
                                Json.mapper().createObjectNode().put("label", "Rust").put("sensitive", true)),
                        "field 'attributes.sensitive' must be a string"),
                Arguments.of(withAttributes(base("ADD_TAG").put("tag", "rust"),
                                Json.mapper().createObjectNode().put("rank", 3)),
                        "field 'attributes.rank' must be a string"),
                Arguments.of(withAttributes(base("ADD_TAG").put("tag", "rust"),
                                Json.mapper().createObjectNode().putNull("label")),
                        "field 'attributes.label' must be a string"),
                Arguments.of(withAttributes(base("ADD_TAG").put("tag", "rust"),
                                Json.mapper().createArrayNode().add("label")),
                        "field 'attributes' must be an object, was array"),
                Arguments.of(base("ADD_TAG").put("tag", "rust").put("attributes", "label=Rust"),
                        "field 'attributes' must be an object, was string"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsACommandThatBreaksTheContract(ObjectNode node, String message) {
        assertThatThrownBy(() -> reader.read(bytes(node)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsTrailingGarbageAfterTheObject() {
        byte[] raw = utf8(Json.toString(base("BLOCK_TAG").put("tag", "kafka")) + " garbage");

        assertThatThrownBy(() -> reader.read(raw))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("not JSON: ");
    }

    @Test
    void rejectsASecondObjectAfterTheFirst() {
        String one = Json.toString(base("BLOCK_TAG").put("tag", "kafka"));

        assertThatThrownBy(() -> reader.read(utf8(one + one)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("not JSON: Trailing token");
    }

    private static ObjectNode base(String command) {
        return Json.mapper().createObjectNode()
                .put("command_id", "cmd-1")
                .put("command", command)
                .put("issued_at", "2026-01-31T12:00:00Z");
    }

    private static ObjectNode withAttributes(ObjectNode node, com.fasterxml.jackson.databind.JsonNode attributes) {
        node.set("attributes", attributes);
        return node;
    }

    private static byte[] bytes(ObjectNode node) {
        return Json.toBytes(node);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
