package io.tagstream.sinks.postgres;

import io.tagstream.udfs.feedback.ConfirmedExample;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * Writes one example change to {@code tag_examples}. Idempotent and ordered by event time: a
 * replayed or older verdict never overwrites a newer one; every applied change takes the next
 * revision so taggers see it. Loaded labelled data is dated at the epoch, so any user's verdict
 * on the same content and tag wins over it.
 */
public final class TagExampleStatement implements JdbcStatementBuilder<ConfirmedExample> {
    private static final long serialVersionUID = 1L;

    /** Where examples come from: {@code feedback} (the job) or {@code labelled} (loaded data). */
    private final String source;

    public TagExampleStatement(String source) {
        this.source = source;
    }

    public static final String SQL = """
            INSERT INTO tag_examples AS te (tenant, content_id, tag, model, text, vector, active, source, event_id, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant, content_id, tag, model) DO UPDATE
            SET text = EXCLUDED.text, vector = EXCLUDED.vector, active = EXCLUDED.active, source = EXCLUDED.source,
                event_id = EXCLUDED.event_id,
                occurred_at = EXCLUDED.occurred_at, revision = nextval('tag_examples_revision'), updated_at = now()
            WHERE te.occurred_at <= EXCLUDED.occurred_at
              AND te.event_id IS DISTINCT FROM EXCLUDED.event_id
            """;

    @Override
    public void accept(PreparedStatement ps, ConfirmedExample e) throws SQLException {
        ps.setString(1, e.tenant());
        ps.setString(2, e.contentId());
        ps.setString(3, e.tag());
        ps.setString(4, e.model());
        ps.setString(5, (e.title() == null ? "" : e.title()) + "\n" + (e.body() == null ? "" : e.body()));
        ps.setArray(6, ps.getConnection().createArrayOf("real", e.vector().toArray(Float[]::new)));
        ps.setBoolean(7, e.active());
        ps.setString(8, source);
        ps.setString(9, e.eventId());
        ps.setTimestamp(10, Timestamp.from(e.occurredAt()));
    }
}
