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
 * {@code <prefix>contents} and {@code <prefix>tags}. Re-running replaces them with the same content.
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
        }
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
