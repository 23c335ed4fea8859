package io.tagstream.jobs.it;

import static io.tagstream.jobs.it.TagLog.tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.privacy.ContentErasure;
import io.tagstream.jobs.privacy.PrivacyExport;
import io.tagstream.jobs.query.TagQueries;
import io.tagstream.jobs.rebuild.ViewRebuild;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.sinks.elasticsearch.ElasticsearchSink;
import io.tagstream.udfs.content.ContentTagReplay;
import io.tagstream.udfs.content.TagChangeSet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Contents whose {@code tenant/content_id} passes Elasticsearch's 512-byte id limit — the longest
 * tenant (64 characters) with the longest content id (512 characters), and a 200-character
 * Chinese id (600 bytes) — are indexed by the job's {@link ElasticsearchSink} into the real
 * Elasticsearch and found again by content id: by the privacy export (its document), the trace
 * queries, a term search, erasure (its tombstone replaces the same document) and a rebuild.
 */
class LongDocumentIdsIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final String TENANT = "t" + "0123456789abcdef".repeat(4).substring(1);
    private static final String LONG_ID = "c".repeat(511) + "1";
    private static final String CHINESE_ID = "內容標識".repeat(50);

    @Test
    void contentsWithIdsTooLongForElasticsearchAreIndexedAndFoundByContentId() throws Exception {
        assertThat(TENANT).hasSize(64);
        assertThat(LONG_ID).hasSize(512);
        assertThat(CHINESE_ID).hasSize(200);
        assertThat(CHINESE_ID.getBytes(StandardCharsets.UTF_8)).hasSize(600);
        TagstreamConfig config = LocalStack.isolatedConfig("long_ids_it");
        String index = config.get("elasticsearch.index-prefix") + "contents";
        ElasticsearchBulk elasticsearch = new ElasticsearchBulk(config.get("elasticsearch.url"));

        List<TagChangeSet> changes = new ArrayList<>();
        try (Connection c = config.postgres().open()) {
            TagLog log = new TagLog(c);
            changes.add(new ContentTagReplay().applyAll(log.upsert(TENANT, LONG_ID, 1, Instant.parse("2026-03-01T10:00:00Z"),
                    tag("topic::kafka", 0.9))).state());
            changes.add(new ContentTagReplay().applyAll(log.upsert("acme", CHINESE_ID, 1, Instant.parse("2026-03-01T11:00:00Z"),
                    tag("topic::cooking", 0.8))).state());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(changes)
                .sinkTo(ElasticsearchSink.<TagChangeSet>builder()
                        .url(config.get("elasticsearch.url"))
                        .converter(new ContentDocuments(index))
                        .deadLetters(config.postgres())
                        .build());
        env.execute("long-document-ids-it");
        try (Connection c = config.postgres().open(); var q = c.createStatement();
                var rs = q.executeQuery("SELECT count(*) FROM store_dead_letters")) {
            rs.next();
            assertThat(rs.getLong(1)).as("nothing set aside by Elasticsearch").isZero();
        }
        elasticsearch.refresh(index);

        for (String[] content : new String[][] {{TENANT, LONG_ID, "topic::kafka"}, {"acme", CHINESE_ID, "topic::cooking"}}) {
            String tenant = content[0];
            String contentId = content[1];
            JsonNode export = export(config, elasticsearch, index, tenant, contentId);
            assertThat(export.path("elasticsearch_document").path("content_id").asText()).isEqualTo(contentId);
            assertThat(export.path("elasticsearch_document").path("tag_ids").toString()).contains(content[2]);
            try (Connection c = config.postgres().open()) {
                assertThat(new TagQueries(c).contentTags(tenant, contentId).toString()).contains(content[2]);
            }
            assertThat(search(elasticsearch, index, tenant, contentId)).containsExactly(contentId + " deleted=false");
        }

        // the erasure's tombstone replaces the same document, and a rebuild finds every id again
        try (Connection c = config.postgres().open()) {
            new ContentErasure(elasticsearch, index).erase(c, "acme", CHINESE_ID, "dpo@acme");
        }
        elasticsearch.refresh(index);
        assertThat(search(elasticsearch, index, "acme", CHINESE_ID)).containsExactly(CHINESE_ID + " deleted=true");
        assertThat(export(config, elasticsearch, index, "acme", CHINESE_ID).path("elasticsearch_document").path("deleted")
                .asBoolean()).isTrue();
        ViewRebuild.Result rebuilt = new ViewRebuild(config.postgres(), elasticsearch, index, line -> {}).run(true);
        assertThat(rebuilt.verified()).as(rebuilt.toString()).isTrue();
        assertThat(rebuilt.indexedDocuments()).isEqualTo(2);
        assertThat(export(config, elasticsearch, index, TENANT, LONG_ID).path("elasticsearch_document").path("tag_ids")
                .toString()).contains("topic::kafka");
    }

    private static JsonNode export(TagstreamConfig config, ElasticsearchBulk elasticsearch, String index, String tenant,
            String contentId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection c = config.postgres().open()) {
            new PrivacyExport(elasticsearch, index, Clock.systemUTC()).write(c, tenant, contentId, out);
        }
        return Json.mapper().readTree(out.toByteArray());
    }

    /** The documents a term query on tenant and content_id finds: content id and whether deleted. */
    private static List<String> search(ElasticsearchBulk elasticsearch, String index, String tenant, String contentId)
            throws Exception {
        ObjectNode query = Json.mapper().createObjectNode();
        var filter = query.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("tenant", tenant);
        filter.addObject().putObject("term").put("content_id", contentId);
        List<String> found = new ArrayList<>();
        elasticsearch.search(index, query).path("hits").path("hits").forEach(h -> found.add(
                h.path("_source").path("content_id").asText() + " deleted=" + h.path("_source").path("deleted").asBoolean()));
        return found;
    }
}
