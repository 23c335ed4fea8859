package io.tagstream.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.ContentEventReader;
import io.tagstream.schemas.IngestLimits;
import io.tagstream.schemas.InvalidRecordException;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.DocumentIds;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.sinks.postgres.SqlRows;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.utils.ParameterTool;

/**
 * {@code tagstream report}: reads the results back both ways — for some contents their tags, for
 * some tags their contents — from PostgreSQL and from Elasticsearch. With {@code --wait-for FILE}
 * it first waits until every content of that JSONL file has tag events and a document in the
 * contents index, and every invalid line of it is a dead letter.
 */
public final class TagReport {
    private final PostgresConnection postgres;
    private final String esUrl;
    private final String contentsIndex;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TagReport(TagstreamConfig config) throws java.io.IOException {
        this.postgres = config.postgres();
        this.esUrl = config.get("elasticsearch.url");
        this.contentsIndex = config.get("elasticsearch.index-prefix") + "contents";
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        TagReport report = new TagReport(config);
        if (params.has("wait-for")) {
            Expected expected = Expected.from(Path.of(params.get("wait-for")), config.ingestLimits());
            report.await(expected.contents(), expected.deadLetters(),
                    Duration.ofSeconds(params.getInt("timeout-seconds", 180)));
        }
        report.print(params.getInt("contents", 4), params.getInt("tags", 4));
    }

    /** What a JSONL file of content events should produce: tagged contents and dead letters. */
    record Expected(int contents, int deadLetters) {
        static Expected from(Path file, IngestLimits limits) throws java.io.IOException {
            ContentEventReader reader = new ContentEventReader(limits);
            java.util.Set<String> contents = new java.util.HashSet<>();
            int invalid = 0;
            for (String line : java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    contents.add(reader.read(line.getBytes(StandardCharsets.UTF_8)).contentKey());
                } catch (InvalidRecordException e) {
                    invalid++;
                }
            }
            return new Expected(contents.size(), invalid);
        }
    }

    void await(int contents, int deadLetters, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastPrinted = 0;
        while (true) {
            long tagged = scalar("SELECT count(DISTINCT (tenant, content_id)) FROM tag_events");
            long dead = scalar("SELECT count(*) FROM dead_letters");
            long indexed = esCount();
            if (tagged >= contents && dead >= deadLetters && indexed >= contents) {
                System.out.printf("%d contents tagged, %d indexed in Elasticsearch, %d dead letters%n", tagged, indexed, dead);
                return;
            }
            if (System.nanoTime() - lastPrinted > Duration.ofSeconds(5).toNanos()) {
                System.out.printf("waiting for results: %d/%d contents tagged, %d indexed, %d/%d dead letters%n",
                        tagged, contents, indexed, dead, deadLetters);
                lastPrinted = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("results did not arrive within " + timeout.toSeconds()
                        + "s; check the job in the Flink web UI and the logs in local-cluster/.work/logs");
            }
            Thread.sleep(500);
        }
    }

    void print(int contentCount, int tagCount) throws Exception {
        try (Connection c = postgres.open()) {
            System.out.println();
            System.out.println("== content -> tags (PostgreSQL content_tags, Elasticsearch contents)");
            List<String[]> contents = rows(c, """
                    SELECT tenant, content_id FROM content_tags GROUP BY tenant, content_id
                    ORDER BY count(*) DESC, content_id LIMIT ?""", contentCount);
            for (String[] content : contents) {
                System.out.printf("%s/%s%n", content[0], content[1]);
                for (String[] tag : rows(c, """
                        SELECT tag, dimension, round(confidence::numeric, 2)::text, source, tag_version::text
                        FROM content_tags WHERE tenant = ? AND content_id = ? ORDER BY dimension, confidence DESC""",
                        content[0], content[1])) {
                    System.out.printf("    %-32s %-14s %s  %-5s v%s%n", tag[0], tag[1], tag[2], tag[3], tag[4]);
                }
                System.out.printf("    elasticsearch: %s%n", esTags(content[0], content[1]));
            }
            System.out.println();
            System.out.println("== tag -> contents (PostgreSQL content_tags, Elasticsearch contents)");
            List<String[]> tags = rows(c, """
                    SELECT tenant, tag FROM content_tags GROUP BY tenant, tag
                    ORDER BY count(*) DESC, tag LIMIT ?""", tagCount);
            for (String[] tag : tags) {
                List<String> carriers = new ArrayList<>();
                for (String[] row : rows(c, """
                        SELECT content_id, round(confidence::numeric, 2)::text FROM content_tags
                        WHERE tenant = ? AND tag = ? ORDER BY confidence DESC, content_id LIMIT 8""", tag[0], tag[1])) {
                    carriers.add(row[0] + " (" + row[1] + ")");
                }
                System.out.printf("%s/%s%n    postgres:      %s%n    elasticsearch: %s%n",
                        tag[0], tag[1], String.join(", ", carriers), esContents(tag[0], tag[1]));
            }
            System.out.println();
            System.out.println("== history of one content (tag_events)");
            for (String[] e : rows(c, """
                    SELECT tenant || '/' || content_id, tag_version::text, action, tag,
                           round(confidence::numeric, 2)::text, coalesce(reason, '')
                    FROM tag_events WHERE (tenant, content_id) = (
                        SELECT tenant, content_id FROM tag_events GROUP BY tenant, content_id
                        ORDER BY max(tag_version) DESC, content_id LIMIT 1)
                    ORDER BY tag_version, action, tag""")) {
                System.out.printf("    %s v%s %-8s %-30s %s  %s%n", e[0], e[1], e[2], e[3], e[4], e[5]);
            }
            System.out.println();
            System.out.println("== dead letters");
            for (String[] d : rows(c, "SELECT topic || '/' || kafka_partition || '@' || kafka_offset, error FROM dead_letters ORDER BY id")) {
                System.out.printf("    %s: %s%n", d[0], d[1]);
            }
        }
    }

    private long scalar(String sql) throws SQLException {
        try (Connection c = postgres.open(); PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String[]> rows(Connection c, String sql, Object... args) throws SQLException {
        return SqlRows.query(c, sql, args);
    }

    private long esCount() throws Exception {
        JsonNode body = esGet("/" + contentsIndex + "/_count");
        return body.path("count").asLong(0);
    }

    private String esTags(String tenant, String contentId) throws Exception {
        JsonNode doc = esGet("/" + contentsIndex + "/_doc/" + URLEncoder.encode(DocumentIds.of(tenant, contentId), StandardCharsets.UTF_8));
        return doc.path("_source").path("tag_ids").toString();
    }

    private String esContents(String tenant, String tag) throws Exception {
        String query = Json.mapper().createObjectNode().set("query", Json.mapper().readTree("""
                {"bool": {"filter": [{"term": {"tenant": %s}}, {"term": {"tag_ids": %s}}]}}"""
                .formatted(Json.toString(tenant), Json.toString(tag)))).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(esUrl + "/" + contentsIndex + "/_search?size=8&sort=content_id"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(query))
                .build();
        JsonNode hits = Json.mapper().readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
                .path("hits").path("hits");
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.path("_source").path("content_id").asText()));
        return String.join(", ", ids);
    }

    private JsonNode esGet(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(esUrl + path)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 404 ? Json.mapper().createObjectNode() : Json.mapper().readTree(response.body());
    }
}
