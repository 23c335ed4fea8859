package io.tagstream.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.TagStat;
import io.tagstream.schemas.json.Json;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagStatDocumentsTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void indexesOneDocumentPerTenantAndTagVersionedByTheStat() throws Exception {
        TagStat stat = new TagStat("acme", "topic::kafka", "topic", 1.25, 0.5, 3, Math.log(4), T0, 1.0 / 3,
                List.of(), T0, 3_600_000, 1_800_000, 2.5, 1.5, 42L);

        IndexAction action = new TagStatDocuments("x-tags").apply(stat, null);

        assertThat(action.index()).isEqualTo("x-tags");
        assertThat(action.id()).isEqualTo("acme/topic::kafka");
        assertThat(action.version()).isEqualTo(42L);
        assertThat(Json.mapper().readValue(action.sourceJson(), TagStat.class)).isEqualTo(stat);
    }

    @Test
    void everyFieldOfTheDocumentIsMappedByTheStrictTemplate() throws Exception {
        TagStat full = new TagStat("acme", "t", "topic", 1, 1, 1, 1, T0, 0, List.of("u"), T0, 1, 1, 1.0, 1.0, 1L);
        JsonNode mapping;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("elasticsearch/tags.json")) {
            mapping = Json.mapper().readTree(in).path("template").path("mappings");
        }
        List<String> fields = new ArrayList<>();
        Json.mapper().readTree(new TagStatDocuments("tags").apply(full, null).sourceJson()).fieldNames()
                .forEachRemaining(fields::add);
        List<String> mapped = new ArrayList<>();
        mapping.path("properties").fieldNames().forEachRemaining(mapped::add);

        assertThat(mapping.path("dynamic").asText()).isEqualTo("strict");
        assertThat(fields).containsExactlyInAnyOrderElementsOf(mapped);
    }
}
