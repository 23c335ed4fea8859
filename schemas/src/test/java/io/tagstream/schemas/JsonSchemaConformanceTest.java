package io.tagstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link Json} writes for each contract record must validate against its JSON Schema, and
 * each schema must actually reject what its contract forbids.
 */
class JsonSchemaConformanceTest {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    /** Draft 2020-12 treats "format" as an annotation unless asked; the contracts mean it. */
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");

    @ParameterizedTest(name = "{0} conforms to {1}")
    @MethodSource("samples")
    void serializedRecordConformsToItsSchema(Object sample, String schemaName) {
        JsonNode json = write(sample);

        assertThat(validate(schemaName, json)).as(json.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0} is rejected by {1} ({2})")
    @MethodSource("violations")
    void schemaRejectsAViolation(JsonNode json, String schemaName, String keyword, String location) {
        Set<ValidationMessage> messages = validate(schemaName, json);

        assertThat(messages).as(json.toString()).isNotEmpty();
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.getType()).isEqualTo(keyword);
            assertThat(m.getInstanceLocation() + " " + m.getProperty()).contains(location);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "content-event", "feedback-event", "taxonomy-command", "tag-event", "tag-stat", "dead-letter",
        "suggest-request", "suggest-response"
    })
    void schemaIsAValidDraft202012Schema(String schemaName) throws IOException {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        JsonNode schema;
        try (InputStream in = resource(schemaName)) {
            schema = Json.mapper().readTree(in);
        }

        assertThat(meta.validate(schema)).isEmpty();
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText())
                .isEqualTo("https://tagstream.io/schemas/" + schemaName + ".schema.json");
    }

    @Test
    void writesSnakeCaseIsoInstantsLowerCaseSourcesAndLeavesOutNulls() {
        JsonNode json = write(tagEvent(TagAction.ADDED, 0.72, null));

        assertThat(json.get("content_version").asLong()).isEqualTo(3);
        assertThat(json.get("occurred_at").asText()).isEqualTo("2026-01-31T12:00:00Z");
        assertThat(json.get("source").asText()).isEqualTo("rule");
        assertThat(json.get("action").asText()).isEqualTo("ADDED");
        assertThat(json.has("previous_confidence")).isFalse();
        assertThat(json.has("prompt_version")).isFalse();
    }

    static Stream<Arguments> samples() {
        return Stream.of(
                sample("full content event", fullContentEvent(), "content-event"),
                sample("minimal content event", minimalContentEvent(), "content-event"),
                sample("feedback event", feedback(FeedbackAction.REJECT, "editor-7"), "feedback-event"),
                sample("feedback event without actor", feedback(FeedbackAction.ADD, null), "feedback-event"),
                sample("merge command", merge(), "taxonomy-command"),
                sample("add-tag command", new TaxonomyCommand("cmd-2", TaxonomyCommandType.ADD_TAG, "acme", "kafka",
                        null, Map.of("label", "Kafka", "dimension", "tech"), "admin", T0), "taxonomy-command"),
                sample("set-policy command", new TaxonomyCommand("cmd-3", TaxonomyCommandType.SET_POLICY, null, null,
                        null, Map.of("top_k", "3"), null, T0), "taxonomy-command"),
                sample("added tag event", tagEvent(TagAction.ADDED, 0.72, null), "tag-event"),
                sample("updated tag event", tagEvent(TagAction.UPDATED, 0.9, 0.72), "tag-event"),
                sample("removed tag event", tagEvent(TagAction.REMOVED, 0.0, 1.0), "tag-event"),
                sample("tag stat", tagStat(3.5), "tag-stat"),
                sample("tag stat of a tag that only saw feedback", new TagStat("acme", "kafka", null, 0.0, 0.0, 0, 0.0,
                        null, -1.0 / 3, List.of(), T0, 3_600_000, 1_800_000, null, null, 7L), "tag-stat"),
                sample("dead letter", deadLetter(Instant.parse("2026-01-31T11:59:59.123Z"), "YWNtZS9jMQ=="),
                        "dead-letter"),
                sample("dead letter without key and timestamp", deadLetter(null, null), "dead-letter"),
                sample("suggest start", suggestStart(), "suggest-request"),
                sample("suggest continue with a choice and a refinement", new SuggestRequest("r2", "s1", "acme",
                        SuggestAction.CONTINUE, "more moonlight", 2, false, T0), "suggest-request"),
                sample("suggest finish", new SuggestRequest("r3", "s1", "acme", SuggestAction.CONTINUE, null, null, true,
                        T0), "suggest-request"),
                sample("suggest response with directions", suggestResponse(SessionPhase.EXPLORING, null), "suggest-response"),
                sample("aborted suggest response", suggestResponse(SessionPhase.ABORTED, "idle timeout: no turn for 120.0 s"),
                        "suggest-response"));
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                violation("content event with '/' in tenant",
                        edit(fullContentEvent(), n -> n.put("tenant", "acme/news")),
                        "content-event", "pattern", "/tenant"),
                violation("content event without occurred_at",
                        edit(fullContentEvent(), n -> n.remove("occurred_at")),
                        "content-event", "required", "occurred_at"),
                violation("content event with a non-instant occurred_at",
                        edit(fullContentEvent(), n -> n.put("occurred_at", "yesterday")),
                        "content-event", "format", "/occurred_at"),
                violation("content event with a negative version",
                        edit(fullContentEvent(), n -> n.put("version", -1)),
                        "content-event", "minimum", "/version"),
                violation("content event with nested metadata",
                        edit(fullContentEvent(), n -> n.putObject("metadata").putObject("author")),
                        "content-event", "type", "/metadata/author"),
                violation("content event with NUL in its content id",
                        edit(fullContentEvent(), n -> n.put("content_id", "a\u0000b")),
                        "content-event", "pattern", "/content_id"),
                violation("content event with 65 user tags",
                        edit(fullContentEvent(), n -> {
                            var tags = n.putArray("user_tags");
                            for (int i = 0; i < 65; i++) {
                                tags.add("t" + i);
                            }
                        }),
                        "content-event", "maxItems", "/user_tags"),
                violation("feedback event with a line feed in its tag",
                        edit(feedback(FeedbackAction.ACCEPT, null), n -> n.put("tag", "topic::\nkafka")),
                        "feedback-event", "pattern", "/tag"),
                violation("feedback event with an unknown action",
                        edit(feedback(FeedbackAction.ACCEPT, null), n -> n.put("action", "LIKE")),
                        "feedback-event", "enum", "/action"),
                violation("merge command without target",
                        edit(merge(), n -> n.remove("target")),
                        "taxonomy-command", "required", "target"),
                violation("command with a non-string attribute",
                        edit(merge(), n -> n.putObject("attributes").put("nsfw_level", 2)),
                        "taxonomy-command", "type", "/attributes/nsfw_level"),
                violation("tag event with confidence 1.5",
                        write(tagEvent(TagAction.ADDED, 1.5, null)),
                        "tag-event", "maximum", "/confidence"),
                violation("tag event without tag",
                        edit(tagEvent(TagAction.ADDED, 0.6, null), n -> n.remove("tag")),
                        "tag-event", "required", "tag"),
                violation("tag event at tag version 0",
                        edit(tagEvent(TagAction.ADDED, 0.6, null), n -> n.put("tag_version", 0)),
                        "tag-event", "minimum", "/tag_version"),
                violation("tag event with an upper-case source",
                        edit(tagEvent(TagAction.ADDED, 0.6, null), n -> n.put("source", "RULE")),
                        "tag-event", "enum", "/source"),
                violation("tag stat with a negative weight",
                        write(tagStat(-0.5)),
                        "tag-stat", "minimum", "/weight"),
                violation("tag stat without usage_count",
                        edit(tagStat(1.0), n -> n.remove("usage_count")),
                        "tag-stat", "required", "usage_count"),
                violation("tag stat with a feedback score of -1",
                        edit(tagStat(1.0), n -> n.put("feedback_score", -1.0)),
                        "tag-stat", "exclusiveMinimum", "/feedback_score"),
                violation("tag stat without half_life_ms",
                        edit(tagStat(1.0), n -> n.remove("half_life_ms")),
                        "tag-stat", "required", "half_life_ms"),
                violation("dead letter without raw_base64",
                        edit(deadLetter(null, null), n -> n.remove("raw_base64")),
                        "dead-letter", "required", "raw_base64"),
                violation("suggest start without text",
                        edit(suggestStart(), n -> n.remove("text")),
                        "suggest-request", "required", "text"),
                violation("suggest start with a choice",
                        edit(suggestStart(), n -> n.put("choice", 1)),
                        "suggest-request", "false", "/choice"),
                violation("suggest continue asking nothing",
                        edit(new SuggestRequest("r2", "s1", "acme", SuggestAction.CONTINUE, null, null, false, T0),
                                n -> n.remove("finish")),
                        "suggest-request", "required", "choice"),
                violation("suggest continue choosing direction 0",
                        edit(new SuggestRequest("r2", "s1", "acme", SuggestAction.CONTINUE, null, 0, false, T0), n -> { }),
                        "suggest-request", "minimum", "/choice"),
                violation("suggest response in an upper-case phase",
                        edit(suggestResponse(SessionPhase.EXPLORING, null), n -> n.put("phase", "EXPLORING")),
                        "suggest-response", "enum", "/phase"),
                violation("suggest response with a score above 100",
                        edit(suggestResponse(SessionPhase.EXPLORING, null),
                                n -> ((ObjectNode) n.get("directions").get(0)).put("quality_score", 101)),
                        "suggest-response", "maximum", "/directions/0/quality_score"),
                violation("dead letter with a negative raw_size",
                        edit(deadLetter(null, null), n -> n.put("raw_size", -1)),
                        "dead-letter", "minimum", "/raw_size"));
    }

    // ---- samples ----------------------------------------------------------------------------

    private static ContentEvent fullContentEvent() {
        Map<String, String> metadata = new java.util.HashMap<>();
        metadata.put("author", "ann");
        metadata.put("editor", null);
        return new ContentEvent("e1", "acme.news-1", "c1", ContentOp.UPSERT, 3L, T0, "Kafka 與 Flink",
                "Stream processing", "zh-TW", "cms", metadata, List.of("kafka", "流處理"));
    }

    private static ContentEvent minimalContentEvent() {
        return new ContentEvent("e2", "acme", "c2", ContentOp.DELETE, null, T0, null, null, null, null, null, null);
    }

    private static FeedbackEvent feedback(FeedbackAction action, String actor) {
        return new FeedbackEvent("f1", "acme", "c1", "kafka", action, actor, T0);
    }

    private static TaxonomyCommand merge() {
        return new TaxonomyCommand("cmd-1", TaxonomyCommandType.MERGE, null, "apache-kafka", "kafka",
                Map.of("reason", "duplicate"), "curator", T0);
    }

    private static TagEvent tagEvent(TagAction action, double confidence, Double previous) {
        return new TagEvent("5f0c3e1a-0000-3000-8000-000000000001", "acme", "c1", 3, 2, "kafka", "tech", action,
                confidence, previous, TagSource.RULE, "keyword-matcher/1", null, "tx-0123456789ab",
                "matched \"kafka\" in title", T0, T0.plusMillis(250));
    }

    private static TagStat tagStat(double weight) {
        return new TagStat("acme", "kafka", "tech", weight, weight / 2, 12, Math.log(13), T0, -0.25,
                List.of("flink", "stream-processing"), T0.plusSeconds(1), 604_800_000, 86_400_000, 2.5, 3.5, 42L);
    }

    private static DeadLetter deadLetter(Instant recordTimestamp, String keyBase64) {
        return new DeadLetter("parse", "not a JSON object", "content.events", 3, 17L, recordTimestamp, keyBase64,
                "WzEsIDIsIDNd", false, 9, T0);
    }

    private static SuggestRequest suggestStart() {
        return new SuggestRequest("r1", "s1", "acme", SuggestAction.START, "一個穿白裙的精靈少女在森林中，夢幻氛圍", null,
                false, T0);
    }

    private static SuggestResponse suggestResponse(SessionPhase phase, String abortReason) {
        SuggestDirection direction = new SuggestDirection("水彩: 精靈 · 少女", List.of(
                new SuggestedTag("character::elf", "精靈", "character", 0.6, TagSource.RULE, "matched \"精靈\" in title"),
                new SuggestedTag("appearance::pointy-ears", "尖耳", "appearance", 0.6, TagSource.IMPLIED, null)), 100, true);
        return new SuggestResponse("s1", abortReason == null ? "r1" : null, "acme", 1, phase, "2 direction(s)", List.of(),
                List.of(direction), abortReason == null ? null : direction, false, abortReason, 0.0, 0, 0,
                Map.of("understand", 1), T0);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Arguments sample(String name, Object sample, String schemaName) {
        return Arguments.of(Named.of(name, sample), schemaName);
    }

    private static Arguments violation(String name, JsonNode json, String schemaName, String keyword, String location) {
        return Arguments.of(Named.of(name, json), schemaName, keyword, location);
    }

    private static JsonNode edit(Object sample, Consumer<ObjectNode> change) {
        ObjectNode node = (ObjectNode) write(sample);
        change.accept(node);
        return node;
    }

    /** Exactly the bytes the pipeline writes, read back as a tree. */
    private static JsonNode write(Object sample) {
        try {
            return Json.mapper().readTree(Json.toBytes(sample));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<ValidationMessage> validate(String schemaName, JsonNode json) {
        try (InputStream in = resource(schemaName)) {
            return FACTORY.getSchema(in, CONFIG).validate(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String schemaName) {
        String path = "schemas/" + schemaName + ".schema.json";
        InputStream in = JsonSchemaConformanceTest.class.getClassLoader().getResourceAsStream(path);
        assertThat(in).as("classpath resource " + path).isNotNull();
        return in;
    }
}
