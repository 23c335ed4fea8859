package io.tagstream.sinks.postgres;

import io.tagstream.udfs.content.TagDrop;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/** Records a dropped proposal once per content version, tag and reason. */
public final class TagDropStatement implements JdbcStatementBuilder<TagDrop> {
    private static final long serialVersionUID = 1L;

    public static final String SQL = """
            INSERT INTO tag_drops (tenant, content_id, content_version, tag, confidence, source, reason,
                                   taxonomy_version, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """;

    @Override
    public void accept(PreparedStatement ps, TagDrop d) throws SQLException {
        ps.setString(1, d.tenant());
        ps.setString(2, d.contentId());
        ps.setLong(3, d.contentVersion());
        ps.setString(4, d.tag());
        ps.setDouble(5, d.confidence());
        ps.setString(6, d.source());
        ps.setString(7, d.reason());
        ps.setString(8, d.taxonomyVersion());
        ps.setTimestamp(9, Timestamp.from(d.occurredAt()));
    }
}
