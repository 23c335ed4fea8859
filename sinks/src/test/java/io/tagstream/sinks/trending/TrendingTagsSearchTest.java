package io.tagstream.sinks.trending;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.json.Json;
import org.junit.jupiter.api.Test;

class TrendingTagsSearchTest {

    @Test
    void topByWeightFiltersTenantAndDimensionAndSortsByDecayRank() {
        assertThat(TrendingTagsSearch.topByWeightRequest("acme", "topic", 5)).isEqualTo("{\"size\":5,"
                + "\"track_total_hits\":false,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"acme\"}},"
                + "{\"term\":{\"dimension\":\"topic\"}},{\"exists\":{\"field\":\"decay_rank\"}}]}},"
                + "\"sort\":[{\"decay_rank\":{\"order\":\"desc\"}},{\"tag\":{\"order\":\"asc\"}}]}");
    }

    @Test
    void risingCandidatesComeByTrendRankAndPageOnAfterTheLastHit() throws Exception {
        String request = TrendingTagsSearch.risingCandidatesRequest("acme", null, 200,
                Json.mapper().readTree("[12.5, \"topic::kafka\"]"));

        assertThat(request).isEqualTo("{\"size\":200,\"track_total_hits\":false,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"tenant\":\"acme\"}},{\"exists\":{\"field\":\"trend_rank\"}}]}},"
                + "\"sort\":[{\"trend_rank\":{\"order\":\"desc\"}},{\"tag\":{\"order\":\"asc\"}}],"
                + "\"search_after\":[12.5,\"topic::kafka\"]}");
    }
}
