package io.tagstream.jobs.privacy;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.DocumentIds;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Everything Tagstream stores about one content or one whole tenant, as one JSON document: the
 * current tags, every tag event, the tags dropped from it, the erasure tombstones, the dead letters keyed by it (raw bytes
 * in base64), the language-model calls made for it, the tenant's tag weights and suggestion sessions,
 * and for one content its document in the contents index.
 *
 * <p>Dead letters are found by their Kafka key ({@code tenant/content_id}); records that arrived
 * without a key cannot be attributed to a tenant and are not part of an export.
 */
public final class PrivacyExport {
    private final ElasticsearchBulk elasticsearch;
    private final String contentsIndex;
    private final Clock clock;

    public PrivacyExport(ElasticsearchBulk elasticsearch, String contentsIndex, Clock clock) {
        this.elasticsearch = elasticsearch;
        this.contentsIndex = contentsIndex;
        this.clock = clock;
    }

    /**
     * Writes the export of a tenant ({@code contentId} null) or of one of its contents.
     *
     * @return how many rows it holds
     */
    public long write(Connection c, String tenant, String contentId, OutputStream target)
            throws SQLException, IOException, InterruptedException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        // One snapshot for all tables, so the export is consistent with itself.
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (JsonGenerator out = Json.mapper().getFactory().createGenerator(target, JsonEncoding.UTF8)) {
            out.useDefaultPrettyPrinter();
            out.writeStartObject();
            out.writeStringField("tenant", tenant);
            if (contentId != null) {
                out.writeStringField("content_id", contentId);
            }
            out.writeStringField("exported_at", clock.instant().toString());
            String scope = contentId == null ? "tenant = ?" : "tenant = ? AND content_id = ?";
            Object[] args = contentId == null ? new Object[] {tenant} : new Object[] {tenant, contentId};
            long rows = 0;
            rows += RowsAsJson.write(out, "erasures", c,
                    "SELECT tenant, content_id, erased_at, requested_by, last_tag_version, events_purged "
                            + "FROM content_erasures WHERE " + scope + " ORDER BY content_id", args);
            rows += RowsAsJson.write(out, "content_tags", c,
                    "SELECT * FROM content_tags WHERE " + scope + " ORDER BY content_id, tag", args);
            rows += RowsAsJson.write(out, "tag_events", c,
                    "SELECT * FROM tag_events WHERE " + scope + " ORDER BY content_id, tag_version, tag, action", args);
            rows += RowsAsJson.write(out, "tag_drops", c,
                    "SELECT * FROM tag_drops WHERE " + scope + " ORDER BY content_id, content_version, tag", args);
            byte[] key = (contentId == null ? tenant + "/" : ContentKey.of(tenant, contentId)).getBytes(StandardCharsets.UTF_8);
            rows += RowsAsJson.write(out, "dead_letters", c, contentId == null
                    ? "SELECT * FROM dead_letters WHERE substring(record_key FROM 1 FOR ?) = ? ORDER BY id"
                    : "SELECT * FROM dead_letters WHERE record_key = ? ORDER BY id",
                    contentId == null ? new Object[] {key.length, key} : new Object[] {key});
            rows += RowsAsJson.write(out, "llm_usage", c,
                    "SELECT * FROM llm_usage WHERE " + scope + " ORDER BY id", args);
            rows += RowsAsJson.write(out, "tag_examples", c,
                    "SELECT * FROM tag_examples WHERE " + scope + " ORDER BY content_id, tag, model", args);
            rows += RowsAsJson.write(out, "tag_candidates", c, "SELECT * FROM tag_candidates WHERE "
                    + (contentId == null ? "tenant = ?" : "tenant = ? AND example_content_id = ?") + " ORDER BY label, dimension", args);
            if (contentId == null) {
                rows += RowsAsJson.write(out, "tag_stats", c,
                        "SELECT * FROM tag_stats WHERE tenant = ? ORDER BY tag", tenant);
                rows += RowsAsJson.write(out, "suggest_sessions", c,
                        "SELECT * FROM suggest_sessions WHERE tenant = ? ORDER BY session_id", tenant);
            } else {
                Optional<JsonNode> document = elasticsearch.get(contentsIndex, DocumentIds.of(tenant, contentId));
                out.writeFieldName("elasticsearch_document");
                if (document.isPresent()) {
                    out.writeTree(document.get());
                    rows++;
                } else {
                    out.writeNull();
                }
            }
            out.writeNumberField("rows", rows);
            out.writeEndObject();
            c.commit();
            return rows;
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }
}
