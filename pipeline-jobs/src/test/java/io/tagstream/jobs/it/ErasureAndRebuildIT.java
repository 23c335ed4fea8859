package io.tagstream.jobs.it;

import static io.tagstream.jobs.it.TagLog.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.privacy.ContentErasure;
import io.tagstream.jobs.privacy.PrivacyExport;
import io.tagstream.jobs.query.QueryException;
import io.tagstream.jobs.query.TagQueries;
import io.tagstream.jobs.query.TraceViews.Tombstone;
import io.tagstream.jobs.rebuild.ViewRebuild;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.DocumentIds;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.sinks.elasticsearch.IndexAction;
import io.tagstream.sinks.postgres.DeadLetterStatement;
import io.tagstream.sinks.postgres.PostgresLlmRecorder;
import io.tagstream.sinks.postgres.SqlRows;
import io.tagstream.sinks.postgres.TagExampleStatement;
import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.udfs.tagging.llm.LlmUsage;
import io.tagstream.udfs.tagging.llm.TagCandidate;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Erasure, export and rebuild against the real PostgreSQL and Elasticsearch: a content's log,
 * current tags, dead letters and document go, a tombstone stays, and nothing — a replay of its
 * events, a late event, a re-sent dead letter, an older document, a rebuild — brings it back.
 */
class ErasureAndRebuildIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A tag the knowledge graph dropped from the content to be erased; it names the content's subject. */
    private static final String TAG_DROP = """
            INSERT INTO tag_drops (tenant, content_id, content_version, tag, confidence, source, reason, taxonomy_version,
                                   occurred_at)
            VALUES ('acme', 'secret-1', 2, 'health::ivf', 0.4, 'rule', 'below top k', 'tx-test', '2026-02-02T11:00:00Z')""";

    private TagstreamConfig config;
    private ElasticsearchBulk elasticsearch;
    private String index;
    private List<TagEvent> secretEvents;

    @BeforeEach
    void log() throws Exception {
        config = LocalStack.isolatedConfig("erasure_it");
        elasticsearch = new ElasticsearchBulk(config.get("elasticsearch.url"));
        index = config.get("elasticsearch.index-prefix") + "contents";
        try (Connection c = config.postgres().open()) {
            TagLog log = new TagLog(c);
            log.upsert("acme", "keep-1", 1, Instant.parse("2026-02-01T10:00:00Z"), tag("topic::kafka", 0.6));
            log.upsert("acme", "keep-1", 2, Instant.parse("2026-02-02T10:00:00Z"), tag("topic::kafka", 0.7), tag("topic::flink", 0.8));
            secretEvents = new ArrayList<>(log.upsert("acme", "secret-1", 1, Instant.parse("2026-02-01T11:00:00Z"),
                    tag("topic::kafka", 0.9)));
            secretEvents.addAll(log.upsert("acme", "secret-1", 2, Instant.parse("2026-02-02T11:00:00Z"),
                    tag("health::pregnancy", 0.8)));
            log.upsert("globex", "secret-1", 1, Instant.parse("2026-02-01T12:00:00Z"), tag("topic::kafka", 0.5));
            deadLetter("acme/secret-1", "{\"content_id\":\"secret-1\",\"body\":\"my due date\"", 7);
            deadLetter("acme/keep-1", "not json", 8);
            deadLetter("globex/secret-1", "{broken", 9);
            try (Statement s = c.createStatement()) {
                s.execute("""
                        INSERT INTO llm_usage (tenant, content_id, model, purpose, input_tokens, output_tokens, outcome) VALUES
                        ('acme', 'secret-1', 'gpt-test', 'tagging', 120, 30, 'ok'),
                        ('acme', 'keep-1', 'gpt-test', 'tagging', 100, 20, 'ok')""");
                s.execute("""
                        INSERT INTO tag_stats (tenant, tag, dimension, weight, trend_weight, usage_count, usage_gain,
                                               updated_at, half_life_ms, trend_half_life_ms, version)
                        VALUES ('acme', 'topic::kafka', 'topic', 1.5, 1.5, 2, 1.1, '2026-02-02T10:00:00Z', 604800000,
                                86400000, 1)""");
                s.execute("""
                        INSERT INTO suggest_sessions (session_id, tenant, idea, phase, turns, progress, cost, input_tokens,
                                                      output_tokens, updated_at)
                        VALUES ('s-acme', 'acme', 'a forest elf', 'exploring', 1, 2, 0, 0, 0, '2026-02-02T10:00:00Z'),
                               ('s-globex', 'globex', 'a desert fox', 'exploring', 1, 2, 0, 0, 0, '2026-02-02T10:00:00Z')""");
                s.execute(TAG_DROP);
                s.execute("""
                        INSERT INTO tag_examples (tenant, content_id, tag, model, text, vector, active, source, event_id, occurred_at)
                        VALUES ('acme', 'secret-1', 'health::pregnancy', 'bge-small-en-v15', 'my due date', '{0.5,-0.5}', true,
                                'feedback', 'f1', '2026-02-02T11:05:00Z'),
                               ('acme', 'keep-1', 'topic::kafka', 'bge-small-en-v15', 'Kafka', '{0.5,0.5}', true,
                                'feedback', 'f2', '2026-02-02T11:05:00Z')""");
                s.execute("""
                        INSERT INTO tag_candidates (tenant, label, model, prompt_version, example_content_id, confidence, reason)
                        VALUES ('acme', 'Due dates', 'gpt-test', 'tag-v1', 'secret-1', 0.4, 'a guess')""");
            }
        }
    }

    @Test
    void rebuildRestoresTheCurrentStateAndTheIndexFromTheLogAndVerifiesThem() throws Exception {
        List<String> before = contentTags();
        assertThat(before).hasSize(4);
        try (Connection c = config.postgres().open(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM content_tags WHERE content_id = 'keep-1' AND tag = 'topic::flink'");
            s.execute("UPDATE content_tags SET confidence = 0.01, tagged_at = now() WHERE content_id = 'secret-1'");
            s.execute("INSERT INTO content_tags (tenant, content_id, tag, confidence, source, content_version, tag_version, "
                    + "tagged_at, updated_at) VALUES ('acme', 'ghost', 'topic::x', 0.5, 'rule', 1, 1, now(), now())");
        }
        elasticsearch.index(List.of(new IndexAction(index, "acme/stray", 1, "{\"tenant\":\"acme\",\"content_id\":\"stray\"}")));

        ViewRebuild.Result result = rebuild(false);

        assertThat(contentTags()).isEqualTo(before);
        assertThat(result.contentTagRows()).isEqualTo(4);
        assertThat(result.carriedTags()).isEqualTo(4);
        assertThat(result.contents()).isEqualTo(3);
        assertThat(result.events()).isEqualTo(7);
        assertThat(document("acme", "keep-1")).isEqualTo("v2 deleted=false [topic::flink, topic::kafka]");
        assertThat(document("acme", "secret-1")).isEqualTo("v2 deleted=false [health::pregnancy]");
        assertThat(document("globex", "secret-1")).isEqualTo("v1 deleted=false [topic::kafka]");
        // the stray document is not in the log: the counts say so, and --recreate-index removes it
        assertThat(result.indexedDocuments()).isEqualTo(4);
        assertThat(result.verified()).isFalse();

        ViewRebuild.Result recreated = rebuild(true);
        assertThat(recreated.verified()).isTrue();
        assertThat(recreated.indexedDocuments()).isEqualTo(3);
        assertThat(recreated.indexedTagIds()).isEqualTo(4);
        assertThat(document("acme", "stray")).isEqualTo("missing");
    }

    @Test
    void exportHoldsEverythingStoredAboutAContent() throws Exception {
        rebuild(true);

        JsonNode export = export("acme", "secret-1");

        assertThat(export.path("tag_events")).extracting(e -> e.path("tag_version").asLong() + " " + e.path("action").asText()
                + " " + e.path("tag").asText() + " " + e.path("reason").asText())
                .containsExactly("1 ADDED topic::kafka matched kafka",
                        "2 ADDED health::pregnancy matched pregnancy",
                        "2 REMOVED topic::kafka no longer proposed for content version 2");
        assertThat(export.path("content_tags")).extracting(t -> t.path("tag").asText()).containsExactly("health::pregnancy");
        assertThat(export.path("dead_letters")).singleElement().satisfies(d -> assertThat(
                new String(Base64.getDecoder().decode(d.path("raw").asText()), StandardCharsets.UTF_8))
                .isEqualTo("{\"content_id\":\"secret-1\",\"body\":\"my due date\""));
        assertThat(export.path("llm_usage")).extracting(u -> u.path("input_tokens").asLong()).containsExactly(120L);
        assertThat(export.path("tag_drops")).extracting(d -> d.path("tag").asText()).containsExactly("health::ivf");
        assertThat(export.path("elasticsearch_document").path("tag_ids")).extracting(JsonNode::asText)
                .containsExactly("health::pregnancy");
        assertThat(export.path("tag_examples")).extracting(e -> e.path("tag").asText() + " " + e.path("text").asText())
                .containsExactly("health::pregnancy my due date");
        assertThat(export.path("tag_candidates")).extracting(t -> t.path("label").asText()).containsExactly("Due dates");
        assertThat(export.path("erasures")).isEmpty();
        assertThat(export.path("rows").asLong()).isEqualTo(3 + 1 + 1 + 1 + 1 + 1 + 1 + 1);

        JsonNode tenant = export("acme", null);
        assertThat(tenant.path("tag_events")).hasSize(7 - 1);
        assertThat(tenant.path("tag_events")).allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("acme"));
        assertThat(tenant.path("dead_letters")).extracting(d -> d.path("kafka_offset").asLong()).containsExactly(7L, 8L);
        assertThat(tenant.path("tag_stats")).extracting(t -> t.path("tag").asText()).containsExactly("topic::kafka");
        assertThat(tenant.path("suggest_sessions")).extracting(t -> t.path("idea").asText()).containsExactly("a forest elf");
        assertThat(tenant.path("llm_usage")).hasSize(2);
    }

    @Test
    void anErasedContentLeavesOnlyItsTombstoneAndStaysErased() throws Exception {
        rebuild(true);
        Tombstone tombstone;
        try (Connection c = config.postgres().open()) {
            tombstone = new ContentErasure(elasticsearch, index).erase(c, "acme", "secret-1", "dpo@acme");
        }
        assertThat(tombstone.eventsPurged()).isEqualTo(3);
        assertThat(tombstone.lastTagVersion()).isEqualTo(2);
        assertThat(tombstone.requestedBy()).isEqualTo("dpo@acme");

        assertErased();
        // the same content id of another tenant and the other contents are untouched
        assertThat(query("SELECT count(*) FROM tag_events WHERE tenant = 'globex' AND content_id = 'secret-1'")).isEqualTo("1");
        assertThat(query("SELECT count(*) FROM tag_events WHERE content_id = 'keep-1'")).isEqualTo("3");
        assertThat(query("SELECT count(*) FROM dead_letters")).isEqualTo("2");
        assertThat(query("SELECT count(*) FROM llm_usage WHERE content_id IS NULL AND input_tokens = 120")).isEqualTo("1");
        assertThat(query("SELECT string_agg(content_id, ',') FROM tag_examples")).isEqualTo("keep-1");
        assertThat(query("SELECT count(*) FROM tag_candidates WHERE example_content_id IS NULL AND label = 'Due dates'"))
                .isEqualTo("1");
        assertThat(document("globex", "secret-1")).isEqualTo("v1 deleted=false [topic::kafka]");

        // a replay of its events, a late event, a re-sent dead letter and an older document change nothing
        try (Connection c = config.postgres().open()) {
            new TagLog(c).write(secretEvents);
            TagEvent late = new TagEvent("5f0e2f4e-0000-3000-8000-000000000001", "acme", "secret-1", 3, 3, "topic::late",
                    "topic", io.tagstream.schemas.TagAction.ADDED, 0.7, null, io.tagstream.schemas.TagSource.RULE, null,
                    null, null, "matched late", Instant.parse("2026-02-03T00:00:00Z"), null);
            new TagLog(c).write(List.of(late));
        }
        deadLetter("acme/secret-1", "{\"content_id\":\"secret-1\",\"body\":\"my due date\"", 7);
        try (Connection c = config.postgres().open(); Statement s = c.createStatement()) {
            s.execute(TAG_DROP);
        }
        elasticsearch.index(List.of(new ContentDocuments(index).apply(new io.tagstream.udfs.content.TagChangeSet(
                "acme", "secret-1", 3, 3, false, Instant.parse("2026-02-03T00:00:00Z"), List.of(),
                List.of(tag("topic::late", 0.7)), -1), null)));
        assertErased();

        // a rebuild keeps it erased too, and its counts include the tombstone document
        ViewRebuild.Result result = rebuild(true);
        assertThat(result.verified()).isTrue();
        assertThat(result.tombstones()).isEqualTo(1);
        assertErased();

        // erasing again finds the same tombstone
        try (Connection c = config.postgres().open()) {
            assertThat(new ContentErasure(elasticsearch, index).erase(c, "acme", "secret-1", "someone else"))
                    .isEqualTo(tombstone);
        }
        JsonNode export = export("acme", "secret-1");
        assertThat(export.path("erasures")).singleElement().satisfies(e -> {
            assertThat(e.path("requested_by").asText()).isEqualTo("dpo@acme");
            assertThat(e.path("events_purged").asInt()).isEqualTo(3);
        });
        for (String table : List.of("tag_events", "content_tags", "tag_drops", "dead_letters", "llm_usage", "tag_examples",
                "tag_candidates")) {
            assertThat(export.path(table)).as(table).isEmpty();
        }
        assertThat(export.path("elasticsearch_document").path("deleted").asBoolean()).isTrue();
        assertThat(export.toString()).doesNotContain("pregnancy").doesNotContain("ivf").doesNotContain("due date")
                .doesNotContain("matched");
    }

    @Test
    void eraseContentAloneClearsTheExamplesAndLinksAndAReplayedContentsModelCallsStayUnlinked() throws Exception {
        // erase_content() itself, as a DBA would call it, without ContentErasure around it
        assertThat(query("SELECT events_purged FROM erase_content('acme', 'secret-1', 'dpo@acme')")).isEqualTo("3");
        assertThat(query("SELECT string_agg(content_id, ',') FROM tag_examples")).isEqualTo("keep-1");
        assertThat(query("SELECT count(*) FROM tag_candidates WHERE example_content_id IS NULL AND reason IS NULL "
                + "AND label = 'Due dates'")).isEqualTo("1");

        // the content replayed through the language-model tagger: its calls and proposals are recorded again
        PostgresLlmRecorder recorder = new PostgresLlmRecorder(config.postgres());
        try {
            recorder.usage(new LlmUsage("acme", "secret-1", "gpt-test", "tagging", "tag-v1", 1, 200, 40, 0.001, 800,
                    "invalid_output", "not JSON: Unrecognized token 'due'"));
            recorder.usage(new LlmUsage("acme", "keep-1", "gpt-test", "tagging", "tag-v1", 1, 300, 50, 0.002, 700, "ok", null));
            recorder.candidate(new TagCandidate("acme", "Birth plans", "", "secret-1", "gpt-test", "tag-v1", 0.5,
                    "mentions a birth plan"));
            recorder.candidate(new TagCandidate("acme", "Due dates", "", "secret-1", "gpt-test", "tag-v1", 0.6, "a due date"));
            recorder.candidate(new TagCandidate("acme", "Streams", "", "keep-1", "gpt-test", "tag-v1", 0.5, "about streams"));
        } finally {
            recorder.close();
        }
        assertThat(query("SELECT count(*) FROM llm_usage WHERE content_id = 'secret-1'")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM llm_usage WHERE content_id IS NULL AND error IS NULL AND input_tokens IN (120, 200)"))
                .as("the calls' cost stays, unlinked").isEqualTo("2");
        assertThat(query("SELECT count(*) FROM llm_usage WHERE content_id = 'keep-1'")).isEqualTo("2");
        assertThat(query("SELECT count(*) FROM tag_candidates WHERE example_content_id = 'secret-1'")).isEqualTo("0");
        assertThat(query("SELECT string_agg(label || ' ' || coalesce(reason, '-'), ', ' ORDER BY label) FROM tag_candidates "
                + "WHERE example_content_id IS NULL")).isEqualTo("Birth plans -, Due dates -");
        assertThat(query("SELECT example_content_id FROM tag_candidates WHERE label = 'Streams'")).isEqualTo("keep-1");

        // the examples loader's statement (ErasureAgainstFeedbackReplayIT runs the job's feedback and the loader)
        try (Connection c = config.postgres().open(); PreparedStatement ps = c.prepareStatement(TagExampleStatement.SQL)) {
            new TagExampleStatement("labelled").accept(ps, new ConfirmedExample("acme", "secret-1", "health::pregnancy",
                    "My due date", "", "en", true, "labelled:secret-1", Instant.EPOCH, null, null)
                    .embedded("bge-small-en-v15", new float[] {0.5f, -0.5f}));
            assertThat(ps.executeUpdate()).isZero();
        }
        assertThat(query("SELECT string_agg(content_id, ',') FROM tag_examples")).isEqualTo("keep-1");
    }

    @Test
    void aContentCanBeErasedBeforeItsFirstEventArrives() throws Exception {
        try (Connection c = config.postgres().open()) {
            Tombstone tombstone = new ContentErasure(elasticsearch, index).erase(c, "acme", "not-yet", "dpo@acme");
            assertThat(tombstone.eventsPurged()).isZero();
            assertThat(tombstone.lastTagVersion()).isZero();
            new TagLog(c).upsert("acme", "not-yet", 1, Instant.parse("2026-02-05T00:00:00Z"), tag("topic::kafka", 0.9));
        }
        assertThat(query("SELECT count(*) FROM tag_events WHERE content_id = 'not-yet'")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM content_tags WHERE content_id = 'not-yet'")).isEqualTo("0");
    }

    @Test
    void theLogStaysAppendOnlyForEverythingElse() throws Exception {
        try (Connection c = config.postgres().open(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("DELETE FROM tag_events WHERE content_id = 'keep-1'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("tag_events is append-only: DELETE is not allowed");
            assertThatThrownBy(() -> s.execute("UPDATE tag_events SET reason = NULL WHERE content_id = 'keep-1'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("tag_events is append-only: UPDATE is not allowed");
            new ContentErasure(elasticsearch, index).erase(c, "acme", "secret-1", "dpo@acme");
            assertThatThrownBy(() -> s.execute("DELETE FROM content_erasures"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("content_erasures is append-only: DELETE");
            assertThatThrownBy(() -> s.execute("UPDATE content_erasures SET requested_by = 'x'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("content_erasures is append-only: UPDATE");
        }
        assertThat(query("SELECT count(*) FROM tag_events")).isEqualTo("4");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void assertErased() throws Exception {
        assertThat(query("SELECT count(*) FROM tag_events WHERE tenant = 'acme' AND content_id = 'secret-1'")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM content_tags WHERE tenant = 'acme' AND content_id = 'secret-1'")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM dead_letters WHERE kafka_offset = 7")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM tag_drops WHERE content_id = 'secret-1'")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM content_erasures WHERE tenant = 'acme' AND content_id = 'secret-1'")).isEqualTo("1");
        assertThat(document("acme", "secret-1")).isEqualTo("v" + ContentDocuments.ERASED_VERSION + " deleted=true []");
        assertThat(source("acme", "secret-1")).doesNotContain("pregnancy").doesNotContain("matched");
        try (Connection c = config.postgres().open()) {
            TagQueries queries = new TagQueries(c);
            for (ThrowingQuery query : List.<ThrowingQuery>of(
                    () -> queries.contentTags("acme", "secret-1"),
                    () -> queries.contentTags("acme", "secret-1", Instant.parse("2026-02-01T12:00:00Z")),
                    () -> queries.history("acme", "secret-1"),
                    () -> queries.lineage("acme", "secret-1", "topic::kafka"))) {
                assertThatThrownBy(query::run).isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.status()).isEqualTo(410);
                    assertThat(e.detail()).isInstanceOfSatisfying(Tombstone.class,
                            t -> assertThat(t.requestedBy()).isEqualTo("dpo@acme"));
                });
            }
            assertThat(queries.count("acme", "health::pregnancy", Optional.empty()).contents()).isZero();
            assertThat(queries.count("acme", "topic::kafka", Optional.of(Instant.parse("2026-02-01T12:00:00Z"))).contents())
                    .isEqualTo(1);
        }
    }

    private interface ThrowingQuery {
        Object run() throws Exception;
    }

    private ViewRebuild.Result rebuild(boolean recreate) throws Exception {
        return new ViewRebuild(config.postgres(), elasticsearch, index, line -> {}).run(recreate);
    }

    private JsonNode export(String tenant, String contentId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection c = config.postgres().open()) {
            new PrivacyExport(elasticsearch, index, Clock.systemUTC()).write(c, tenant, contentId, out);
        }
        return Json.mapper().readTree(out.toByteArray());
    }

    private void deadLetter(String key, String raw, long offset) throws Exception {
        Base64.Encoder base64 = Base64.getEncoder();
        DeadLetter letter = new DeadLetter("parse", "not JSON", config.get("topic.content-events"), 0, offset, null,
                base64.encodeToString(key.getBytes(StandardCharsets.UTF_8)),
                base64.encodeToString(raw.getBytes(StandardCharsets.UTF_8)), false, raw.length(), Instant.now());
        try (Connection c = config.postgres().open(); PreparedStatement ps = c.prepareStatement(DeadLetterStatement.SQL)) {
            new DeadLetterStatement().accept(ps, letter);
            ps.executeUpdate();
        }
    }

    private List<String> contentTags() throws Exception {
        try (Connection c = config.postgres().open()) {
            return SqlRows.query(c, "SELECT * FROM content_tags ORDER BY tenant, content_id, tag").stream()
                    .map(row -> String.join("|", java.util.Arrays.stream(row).map(String::valueOf).toList())).toList();
        }
    }

    private String query(String sql) throws Exception {
        try (Connection c = config.postgres().open()) {
            return SqlRows.query(c, sql).get(0)[0];
        }
    }

    private String document(String tenant, String contentId) throws Exception {
        elasticsearch.refresh(index);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(config.get("elasticsearch.url") + "/"
                + index + "/_doc/" + URLEncoder.encode(DocumentIds.of(tenant, contentId), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode doc = Json.mapper().readTree(response.body());
        if (!doc.path("found").asBoolean()) {
            return "missing";
        }
        List<String> tags = new ArrayList<>();
        doc.path("_source").path("tag_ids").forEach(t -> tags.add(t.asText()));
        tags.sort(null);
        return "v" + doc.path("_version").asLong() + " deleted=" + doc.path("_source").path("deleted").asBoolean() + " " + tags;
    }

    private String source(String tenant, String contentId) throws Exception {
        return elasticsearch.get(index, DocumentIds.of(tenant, contentId)).orElseThrow().toString();
    }
}
