package io.tagstream.sinks.postgres;

import io.tagstream.schemas.TagEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.UUID;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * Appends one tag event to the log; {@code content_tags} follows in the database (the trigger of
 * migration V7 applies what each statement appended).
 *
 * <p>Idempotent: the insert does nothing for an event id the log already holds, and a skipped
 * event is not applied again. The sink batches these statements and the driver sends each batch
 * as multi-row INSERTs ({@link PostgresSinks#tagEvents}), so the trigger runs once per batch.
 */
public final class TagEventStatement implements JdbcStatementBuilder<TagEvent> {
    private static final long serialVersionUID = 1L;

    public static final String SQL = """
            INSERT INTO tag_events (event_id, tenant, content_id, content_version, tag_version, tag,
                                    dimension, action, confidence, previous_confidence, source, model,
                                    prompt_version, taxonomy_version, reason, occurred_at, processed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING
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
