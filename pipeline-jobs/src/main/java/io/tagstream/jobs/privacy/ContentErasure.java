package io.tagstream.jobs.privacy;

import io.tagstream.jobs.query.TraceViews.Tombstone;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.sinks.postgres.TagEventRows;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Erases a content: {@code erase_content()} writes its tombstone and removes its tag events,
 * current tags, dropped tags, dead letters, its text and vectors kept as tagging examples
 * ({@code tag_examples}) and its links from language-model usage and tag candidates in one
 * transaction (V5, V8; V8's triggers keep it so on every replay); then its
 * document in the contents index is replaced by an empty one versioned above any tag version, so
 * no replay brings it back. Erasing again repeats the Elasticsearch step and changes nothing else,
 * so a failed erasure is finished by running it again. See
 * {@code docs/decisions/0005-erasure-in-an-append-only-log.md}.
 */
public final class ContentErasure {
    private final ElasticsearchBulk elasticsearch;
    private final ContentDocuments documents;

    public ContentErasure(ElasticsearchBulk elasticsearch, String contentsIndex) {
        this.elasticsearch = elasticsearch;
        this.documents = new ContentDocuments(contentsIndex);
    }

    public Tombstone erase(Connection c, String tenant, String contentId, String requestedBy)
            throws SQLException, IOException, InterruptedException {
        Tombstone tombstone;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement q = c.prepareStatement("""
                SELECT erased_at, requested_by, last_tag_version, events_purged FROM erase_content(?, ?, ?)""")) {
            q.setString(1, tenant);
            q.setString(2, contentId);
            q.setString(3, requestedBy);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                tombstone = new Tombstone(tenant, contentId, TagEventRows.instant(rs, 1), rs.getString(2),
                        rs.getLong(3), rs.getInt(4));
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        elasticsearch.index(List.of(documents.erased(tenant, contentId, tombstone.lastTagVersion(), tombstone.erasedAt())));
        return tombstone;
    }
}
