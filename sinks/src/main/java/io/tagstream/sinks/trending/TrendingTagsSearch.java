package io.tagstream.sinks.trending;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.TagStat;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Trending tags from the Elasticsearch {@code tags} index: the same two questions as
 * {@link TrendingTagsSql}, with the same answers.
 */
public final class TrendingTagsSearch {
    /** {@link TrendingTag#risingPerDay()} in Painless, with {@link TrendingTagsSql}'s cut-off at 900 half-lives. */
    static final String RISING_SCRIPT = """
            double age = Math.max(0, params.at - doc['updated_at'].value.toInstant().toEpochMilli());
            double h = doc['half_life_ms'].value;
            double ht = doc['trend_half_life_ms'].value;
            double w = age / h > 900 ? 0 : doc['weight'].value * Math.pow(2, -age / h);
            double t = age / ht > 900 ? 0 : doc['trend_weight'].value * Math.pow(2, -age / ht);
            return Math.log(2) * 86400000.0 * (t / ht - w / h);
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI search;

    /** @param index e.g. {@code tags}, with the configured prefix */
    public TrendingTagsSearch(String url, String index) {
        this.search = URI.create((url.endsWith("/") ? url : url + "/") + index + "/_search");
    }

    /** Sorted by {@code decay_rank}: the order of the weights decayed to any time after the documents'. */
    public static String topByWeightRequest(String tenant, String dimension, int limit) {
        ObjectNode request = request(tenant, dimension, limit);
        ArrayNode sort = request.putArray("sort");
        sort.addObject().putObject("decay_rank").put("order", "desc").put("missing", "_last");
        sort.addObject().putObject("tag").put("order", "asc");
        return request.toString();
    }

    /** Sorted by {@link TrendingTag#risingPerDay()} at {@code at}, computed by a script per document. */
    public static String risingFastestRequest(String tenant, String dimension, Instant at, int limit) {
        ObjectNode request = request(tenant, dimension, limit);
        ArrayNode sort = request.putArray("sort");
        ObjectNode script = sort.addObject().putObject("_script").put("type", "number").put("order", "desc")
                .putObject("script");
        script.put("lang", "painless").put("source", RISING_SCRIPT).putObject("params").put("at", at.toEpochMilli());
        sort.addObject().putObject("tag").put("order", "asc");
        return request.toString();
    }

    private static ObjectNode request(String tenant, String dimension, int limit) {
        ObjectNode request = Json.mapper().createObjectNode().put("size", limit).put("track_total_hits", false);
        ArrayNode filter = request.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("tenant", tenant);
        if (dimension != null) {
            filter.addObject().putObject("term").put("dimension", dimension);
        }
        return request;
    }

    public List<TrendingTag> topByWeight(String tenant, String dimension, Instant at, int limit)
            throws IOException, InterruptedException {
        return run(topByWeightRequest(tenant, dimension, limit), at);
    }

    public List<TrendingTag> risingFastest(String tenant, String dimension, Instant at, int limit)
            throws IOException, InterruptedException {
        return run(risingFastestRequest(tenant, dimension, at, limit), at);
    }

    private List<TrendingTag> run(String body, Instant at) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(search)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Elasticsearch refused a trending query on " + search + " (status "
                    + response.statusCode() + "): " + response.body());
        }
        List<TrendingTag> tags = new ArrayList<>();
        for (JsonNode hit : Json.mapper().readTree(response.body()).path("hits").path("hits")) {
            tags.add(TrendingTag.of(Json.mapper().treeToValue(hit.path("_source"), TagStat.class), at));
        }
        return tags;
    }
}
