package io.tagstream.sinks.elasticsearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Installs the index templates shipped in {@code elasticsearch/} (contents, tags) for the indexes
 * {@code <prefix>contents} and {@code <prefix>tags}, and brings the mappings of indexes that
 * already exist up to date with them. Re-running changes nothing.
 *
 * <p>A template only shapes indexes created after it; an index made by an older version keeps its
 * strict mapping and would refuse every document with a field added since (the job would fail on
 * each one). New fields can be added to a live index; a changed field cannot, and is reported with
 * the way out: reindexing (the contents index is rebuilt from the log).
 */
public final class ElasticsearchIndexTemplates {
    public static final List<String> INDEXES = List.of("contents", "tags");

    private ElasticsearchIndexTemplates() {}

    public static void apply(String url, String prefix, Consumer<String> progress) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String index : INDEXES) {
            ObjectNode template = template(index);
            template.putArray("index_patterns").add(prefix + index + "*");
            template.put("priority", 100);
            String name = "tagstream-" + prefix + index;
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/_index_template/" + name))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(template.toString()))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("Elasticsearch refused index template " + name + " (status "
                        + response.statusCode() + "): " + response.body());
            }
            progress.accept("index template " + name + " installed for " + prefix + index);
            updateExistingMappings(http, url, prefix + index, (ObjectNode) template.get("template").get("mappings"), progress);
        }
    }

    private static void updateExistingMappings(HttpClient http, String url, String index, ObjectNode mappings,
            Consumer<String> progress) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/" + index + "*/_mapping?allow_no_indices=true"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(mappings.toString()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 400) {
            throw new IOException("the existing index " + index + " has a mapping this version cannot extend (status 400): "
                    + response.body() + "; reindex it into the new mapping (the contents index: ./tagstream rebuild --recreate-index)");
        }
        if (response.statusCode() != 200) {
            throw new IOException("Elasticsearch refused the mapping update of " + index + " (status "
                    + response.statusCode() + "): " + response.body());
        }
        progress.accept("mapping of existing " + index + " indexes up to date");
    }

    private static ObjectNode template(String index) throws IOException {
        String resource = "elasticsearch/" + index + ".json";
        try (InputStream in = ElasticsearchIndexTemplates.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("index template " + resource + " is missing from the classpath");
            }
            return (ObjectNode) Json.mapper().readTree(in);
        }
    }
}
