package io.tagstream.sinks.trending;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrendingTagsSearchTest {

    @Test
    void topByWeightFiltersTenantAndDimensionAndSortsByDecayRank() throws Exception {
        JsonNode request = Json.mapper().readTree(TrendingTagsSearch.topByWeightRequest("acme", "topic", 5));

        assertThat(request.toString()).isEqualTo("{\"size\":5,\"track_total_hits\":false,"
                + "\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"acme\"}},{\"term\":{\"dimension\":\"topic\"}}]}},"
                + "\"sort\":[{\"decay_rank\":{\"order\":\"desc\",\"missing\":\"_last\"}},{\"tag\":{\"order\":\"asc\"}}]}");
    }

    @Test
    void risingFastestSortsByTheScriptAtTheTimeAskedAboutAndNeedsNoDimension() throws Exception {
        Instant at = Instant.parse("2026-11-01T12:00:00Z");
        JsonNode request = Json.mapper().readTree(TrendingTagsSearch.risingFastestRequest("acme", null, at, 3));

        assertThat(request.path("query").path("bool").path("filter")).hasSize(1);
        JsonNode script = request.path("sort").path(0).path("_script");
        assertThat(script.path("order").asText()).isEqualTo("desc");
        assertThat(script.path("script").path("params").path("at").asLong()).isEqualTo(at.toEpochMilli());
        assertThat(script.path("script").path("source").asText()).isEqualTo(TrendingTagsSearch.RISING_SCRIPT);
        assertThat(request.path("sort").path(1).path("tag").path("order").asText()).isEqualTo("asc");
    }
}
