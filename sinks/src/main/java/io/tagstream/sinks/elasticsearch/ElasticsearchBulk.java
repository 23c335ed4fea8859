package io.tagstream.sinks.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned writes to {@code _bulk} for tools that run outside a Flink job (rebuild, erasure),
 * with the same rules as {@link ElasticsearchSink}: an item is done when indexed or when a newer
 * version is already there (409); 429 and 5xx are retried a few times; anything else fails.
 */
public final class ElasticsearchBulk {
    private static final int ATTEMPTS = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;

    /** @param url e.g. {@code http://127.0.0.1:9200} */
    public ElasticsearchBulk(String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Indexes every action; returns once each is done, or throws. */
    public void index(List<IndexAction> actions) throws IOException, InterruptedException {
        List<IndexAction> pending = actions;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            HttpResponse<byte[]> response = send("POST", "/_bulk", "application/x-ndjson", ndjson(pending));
            List<IndexAction> retry = new ArrayList<>();
            if (response.statusCode() == 429 || response.statusCode() >= 500) {
                retry = pending;
            } else if (response.statusCode() != 200) {
                throw new IOException("Elasticsearch rejected a bulk request with status " + response.statusCode()
                        + ": " + new String(response.body(), StandardCharsets.UTF_8));
            } else {
                JsonNode items = Json.mapper().readTree(response.body()).path("items");
                for (int i = 0; i < pending.size(); i++) {
                    JsonNode item = items.path(i).path("index");
                    int status = item.path("status").asInt(0);
                    if (isDone(status)) {
                        continue;
                    }
                    if (!isRetryable(status)) {
                        IndexAction action = pending.get(i);
                        throw new IOException("Elasticsearch refused document " + action.index() + "/" + action.id()
                                + " (status " + status + "): " + item.path("error"));
                    }
                    retry.add(pending.get(i));
                }
            }
            if (!retry.isEmpty() && attempt == ATTEMPTS) {
                throw new IOException("Elasticsearch did not take " + retry.size() + " documents after "
                        + ATTEMPTS + " attempts (status " + response.statusCode() + ")");
            }
            if (!retry.isEmpty()) {
                Thread.sleep(200L * attempt);
            }
            pending = retry;
        }
    }

    /** Makes everything indexed so far visible to searches and counts. */
    public void refresh(String index) throws IOException, InterruptedException {
        expectOk(send("POST", "/" + index + "/_refresh", "application/json", ""), "refresh " + index);
    }

    /** The documents of an index, 0 when it does not exist. */
    public long count(String index) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = send("GET", "/" + index + "/_count", "application/json", "");
        if (response.statusCode() == 404) {
            return 0;
        }
        return expectOk(response, "count " + index).path("count").asLong();
    }

    /** Runs a search and returns Elasticsearch's answer. */
    public JsonNode search(String index, ObjectNode body) throws IOException, InterruptedException {
        return expectOk(send("POST", "/" + index + "/_search", "application/json", body.toString()), "search " + index);
    }

    /** A document's source, if the index holds it. */
    public java.util.Optional<JsonNode> get(String index, String id) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = send("GET", "/" + index + "/_doc/"
                + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8), "application/json", "");
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(expectOk(response, "get " + index + "/" + id).path("_source"));
    }

    /** Deletes an index; a missing one is fine. */
    public void deleteIndex(String index) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = send("DELETE", "/" + index, "application/json", "");
        if (response.statusCode() != 404) {
            expectOk(response, "delete index " + index);
        }
    }

    /** Whether a bulk item's status means the document is in place: indexed, or a newer version won (409). */
    static boolean isDone(int status) {
        return status == 409 || (status >= 200 && status < 300);
    }

    /** Whether a bulk item may succeed when sent again: overload, server errors, no answer at all. */
    static boolean isRetryable(int status) {
        return status == 429 || status >= 500 || status == 0;
    }

    static String ndjson(List<IndexAction> actions) {
        StringBuilder body = new StringBuilder();
        for (IndexAction action : actions) {
            ObjectNode meta = Json.mapper().createObjectNode();
            meta.putObject("index")
                    .put("_index", action.index())
                    .put("_id", action.id())
                    .put("version", action.version())
                    .put("version_type", "external_gte");
            body.append(meta).append('\n').append(action.sourceJson()).append('\n');
        }
        return body.toString();
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode expectOk(HttpResponse<byte[]> response, String what) throws IOException {
        if (response.statusCode() != 200) {
            throw new IOException("Elasticsearch: " + what + " failed with status " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return Json.mapper().readTree(response.body());
    }
}
