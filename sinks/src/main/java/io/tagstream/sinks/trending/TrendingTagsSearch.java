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
 * {@link TrendingTagsSql}, with the same answers, and without scripts (the local stack's
 * Elasticsearch has no scripting module).
 *
 * <ul>
 *   <li>Heaviest: sorted by {@code decay_rank}, the order of the weights decayed to any later time.
 *   <li>Fastest rising: rising can never exceed {@link TrendingTag#risingBound}, which only depends
 *       on the trend weight. So the documents are read in {@code trend_rank} order (trend weight
 *       decayed to any later time), page by page, and reading stops as soon as the bound of the next
 *       document cannot beat the answer found so far.
 * </ul>
 */
public final class TrendingTagsSearch {
    private static final int PAGE = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI search;

    /** @param index e.g. {@code tags}, with the configured prefix */
    public TrendingTagsSearch(String url, String index) {
        this.search = URI.create((url.endsWith("/") ? url : url + "/") + index + "/_search");
    }

    public static String topByWeightRequest(String tenant, String dimension, int limit) {
        return request(tenant, dimension, limit, "decay_rank", null).toString();
    }

    /**
     * One page of candidates for the fastest rising tags, by descending trend weight.
     *
     * @param after the {@code sort} values of the previous page's last hit, or {@code null}
     */
    public static String risingCandidatesRequest(String tenant, String dimension, int size, JsonNode after) {
        return request(tenant, dimension, size, "trend_rank", after).toString();
    }

    private static ObjectNode request(String tenant, String dimension, int size, String rank, JsonNode after) {
        ObjectNode request = Json.mapper().createObjectNode().put("size", size).put("track_total_hits", false);
        ArrayNode filter = request.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("tenant", tenant);
        if (dimension != null) {
            filter.addObject().putObject("term").put("dimension", dimension);
        }
        filter.addObject().putObject("exists").put("field", rank);
        ArrayNode sort = request.putArray("sort");
        sort.addObject().putObject(rank).put("order", "desc");
        sort.addObject().putObject("tag").put("order", "asc");
        if (after != null) {
            request.set("search_after", after);
        }
        return request;
    }

    /** The {@code limit} heaviest tags of {@code tenant} at {@code at}; {@code dimension} null for all. */
    public List<TrendingTag> topByWeight(String tenant, String dimension, Instant at, int limit)
            throws IOException, InterruptedException {
        List<TrendingTag> tags = new ArrayList<>();
        for (JsonNode hit : hits(topByWeightRequest(tenant, dimension, limit))) {
            tags.add(TrendingTag.of(stat(hit), at));
        }
        return tags;
    }

    /**
     * The {@code limit} fastest rising tags of {@code tenant} at {@code at}, those rising by at least
     * {@link TrendingTag#MIN_RISING_PER_DAY}; {@code dimension} null for all.
     */
    public List<TrendingTag> risingFastest(String tenant, String dimension, Instant at, int limit)
            throws IOException, InterruptedException {
        List<TrendingTag> best = new ArrayList<>();
        JsonNode after = null;
        while (true) {
            JsonNode hits = hits(risingCandidatesRequest(tenant, dimension, PAGE, after));
            for (JsonNode hit : hits) {
                TagStat stat = stat(hit);
                double bound = TrendingTag.risingBound(stat, at);
                double toBeat = best.size() < limit ? TrendingTag.MIN_RISING_PER_DAY : best.get(limit - 1).risingPerDay();
                if (bound < toBeat) {
                    return best;
                }
                TrendingTag tag = TrendingTag.of(stat, at);
                if (tag.risingPerDay() >= TrendingTag.MIN_RISING_PER_DAY) {
                    best.add(tag);
                    best.sort(TrendingTag.FASTEST_RISING_FIRST);
                    if (best.size() > limit) {
                        best.remove(limit);
                    }
                }
                after = hit.path("sort");
            }
            if (hits.size() < PAGE) {
                return best;
            }
        }
    }

    private static TagStat stat(JsonNode hit) throws IOException {
        return Json.mapper().treeToValue(hit.path("_source"), TagStat.class);
    }

    private JsonNode hits(String body) throws IOException, InterruptedException {
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
        return Json.mapper().readTree(response.body()).path("hits").path("hits");
    }
}
