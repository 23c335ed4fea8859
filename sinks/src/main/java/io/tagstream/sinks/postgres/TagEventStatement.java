package io.tagstream.sinks.postgres;

import io.tagstream.schemas.TagEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.UUID;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * Writes one tag event to the log and applies it to {@code content_tags} in one statement.
 *
 * <p>Idempotent: the log insert does nothing for an event id it already holds, and the current
 * state is only touched by events the log newly accepted, never moved back to an older tag
 * version. A replay after a failure therefore changes nothing that was already written.
 */
public final class TagEventStatement implements JdbcStatementBuilder<TagEvent> {
    private static final long serialVersionUID = 1L;

    public static final String SQL = """
            WITH logged AS (
                INSERT INTO tag_events (event_id, tenant, content_id, content_version, tag_version, tag,
                                        dimension, action, confidence, previous_confidence, source, model,
                                        prompt_version, taxonomy_version, reason, occurred_at, processed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING *
            ), upserted AS (
                INSERT INTO content_tags AS ct (tenant, content_id, tag, dimension, confidence, source, model,
                                                reason, content_version, tag_version, tagged_at, updated_at)
                SELECT tenant, content_id, tag, dimension, confidence, source, model, reason,
                       content_version, tag_version, occurred_at, occurred_at
                FROM logged
                WHERE action <> 'REMOVED' AND action <> 'REJECTED'
                ON CONFLICT (tenant, content_id, tag) DO UPDATE
                SET dimension = EXCLUDED.dimension, confidence = EXCLUDED.confidence,
                    source = EXCLUDED.source, model = EXCLUDED.model, reason = EXCLUDED.reason,
                    content_version = EXCLUDED.content_version, tag_version = EXCLUDED.tag_version,
                    updated_at = EXCLUDED.updated_at
                WHERE ct.tag_version <= EXCLUDED.tag_version
            )
            DELETE FROM content_tags ct
            USING logged
            WHERE logged.action IN ('REMOVED', 'REJECTED')
              AND ct.tenant = logged.tenant AND ct.content_id = logged.content_id AND ct.tag = logged.tag
              AND ct.tag_version <= logged.tag_version
            """;

    @Override
    public void accept(PreparedStatement ps, TagEvent e) throws SQLException {
        ps.setObject(1, UUID.fromString(e.eventId()));
        ps.setString(2, e.tenant());
        ps.setString(3, e.contentId());
        ps.setLong(4, e.contentVersion());
        ps.setLong(5, e.tagVersion());
        ps.setString(6, e.tag());
        ps.setString(7, e.dimension());
        ps.setString(8, e.action().name());
        ps.setDouble(9, e.confidence());
        if (e.previousConfidence() == null) {
            ps.setNull(10, Types.DOUBLE);
        } else {
            ps.setDouble(10, e.previousConfidence());
        }
        ps.setString(11, e.source().wireName());
        ps.setString(12, e.model());
        ps.setString(13, e.promptVersion());
        ps.setString(14, e.taxonomyVersion());
        ps.setString(15, e.reason());
        ps.setTimestamp(16, Timestamp.from(e.occurredAt()));
        ps.setTimestamp(17, e.processedAt() == null ? null : Timestamp.from(e.processedAt()));
    }

}
