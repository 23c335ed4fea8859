package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.jobs.StackSetup;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An index made by an earlier version keeps its strict mapping when the templates change: setup
 * must extend it, or the job fails on every document that carries a field added since (seen on a
 * long-lived local stack: {@code quality_score}).
 */
class IndexMappingUpgradeIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A document of today's contents index, with a field the old mapping below lacks. */
    private static final String DOCUMENT = """
            {"tenant": "acme", "content_id": "c-1", "content_version": 1, "tag_version": 1, "deleted": false,
             "quality_score": 80, "tag_ids": ["topic::kafka"], "occurred_at": "2026-11-21T10:00:00Z"}""";

    private TagstreamConfig config;
    private String url;
    private String contents;

    @BeforeEach
    void oldIndex() throws Exception {
        config = LocalStack.isolatedConfig("mapping_upgrade_it");
        url = config.get("elasticsearch.url");
        String prefix = config.get("elasticsearch.index-prefix");
        contents = prefix + "contents";
        // As an earlier version left it: no template of today's, an index without quality_score.
        assertThat(send("DELETE", "/_index_template/tagstream-" + contents, null).statusCode()).isEqualTo(200);
    }

    @Test
    void setupAddsTheFieldsAnOldIndexLacks() throws Exception {
        createOldIndex("{\"type\": \"long\"}");
        assertThat(send("PUT", "/" + contents + "/_doc/acme:c-1?refresh=true", DOCUMENT).body())
                .as("the old index refuses today's document")
                .contains("strict_dynamic_mapping_exception");

        StackSetup.run(config, line -> {});

        HttpResponse<String> indexed = send("PUT", "/" + contents + "/_doc/acme:c-1?refresh=true", DOCUMENT);
        assertThat(indexed.statusCode()).as(indexed.body()).isIn(200, 201);
        assertThat(send("GET", "/" + contents + "/_count?q=quality_score:80", null).body()).contains("\"count\":1");
        StackSetup.run(config, line -> {});
    }

    @Test
    void setupLetsAnOldIndexSkipKeywordsTooLongForLucene() throws Exception {
        createOldIndex("{\"type\": \"long\"}, \"quality_score\": {\"type\": \"integer\"}");
        // 11,000 three-byte characters: 33,000 bytes, over Lucene's 32,766-byte term limit
        String document = DOCUMENT.replace("\"topic::kafka\"", Json.toString("長".repeat(11_000)));
        assertThat(send("PUT", "/" + contents + "/_doc/acme:c-1?refresh=true", document).body())
                .as("the old index refuses a keyword longer than a term may be")
                .contains("immense term");

        StackSetup.run(config, line -> {});

        assertThat(send("GET", "/" + contents + "/_mapping/field/tag_ids", null).body()).contains("\"ignore_above\":8191");
        HttpResponse<String> indexed = send("PUT", "/" + contents + "/_doc/acme:c-1?refresh=true", document);
        assertThat(indexed.statusCode()).as(indexed.body()).isIn(200, 201);
        assertThat(send("GET", "/" + contents + "/_count?q=tenant:acme", null).body()).contains("\"count\":1");
    }

    @Test
    void aFieldOfAnotherTypeIsReportedWithTheWayOut() throws Exception {
        createOldIndex("{\"type\": \"long\"}, \"quality_score\": {\"type\": \"keyword\"}");

        assertThatThrownBy(() -> StackSetup.run(config, line -> {}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(contents)
                .hasMessageContaining("quality_score")
                .hasMessageContaining("./tagstream rebuild --recreate-index");
    }

    /** A strict contents index with the given mapping of content_version (and whatever follows it). */
    private void createOldIndex(String contentVersion) throws Exception {
        String mapping = """
                {"mappings": {"dynamic": "strict", "properties": {
                  "tenant": {"type": "keyword"}, "content_id": {"type": "keyword"}, "content_version": %s,
                  "tag_version": {"type": "long"}, "deleted": {"type": "boolean"}, "tag_ids": {"type": "keyword"},
                  "occurred_at": {"type": "date"}}}}""".formatted(contentVersion);
        HttpResponse<String> created = send("PUT", "/" + contents, mapping);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                        .header("Content-Type", "application/json")
                        .method(method, publisher)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
