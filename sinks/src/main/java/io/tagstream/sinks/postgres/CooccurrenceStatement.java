package io.tagstream.sinks.postgres;

import io.tagstream.udfs.graph.CooccurrenceCount;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/** Writes a pair's count as it is now: counts are absolute, so a replayed write changes nothing. */
public final class CooccurrenceStatement implements JdbcStatementBuilder<CooccurrenceCount> {
    private static final long serialVersionUID = 1L;

    public static final String SQL = """
            INSERT INTO tag_cooccurrence (tenant, tag_a, tag_b, contents, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tenant, tag_a, tag_b) DO UPDATE
            SET contents = EXCLUDED.contents, updated_at = EXCLUDED.updated_at
            WHERE tag_cooccurrence.updated_at <= EXCLUDED.updated_at
            """;

    /** Tags most related to one tag by lift, among pairs seen in at least {@code min_support} contents. */
    public static final String RELATED = """
            WITH n AS (SELECT contents FROM tag_cooccurrence WHERE tenant = ? AND tag_a = '' AND tag_b = ''),
                 pairs AS (
                     SELECT CASE WHEN tag_a = ? THEN tag_b ELSE tag_a END AS other, contents
                     FROM tag_cooccurrence
                     WHERE tenant = ? AND tag_b <> '' AND (tag_a = ? OR tag_b = ?) AND contents >= ?)
            SELECT p.other, p.contents,
                   round((p.contents::numeric * n.contents) / (a.contents * b.contents), 3) AS lift,
                   round(ln((p.contents::numeric * n.contents) / (a.contents * b.contents))::numeric, 3) AS pmi
            FROM pairs p, n,
                 tag_cooccurrence a, tag_cooccurrence b
            WHERE a.tenant = ? AND a.tag_a = ? AND a.tag_b = '' AND a.contents > 0
              AND b.tenant = ? AND b.tag_a = p.other AND b.tag_b = '' AND b.contents > 0
            ORDER BY lift DESC, p.contents DESC, p.other
            LIMIT ?
            """;

    @Override
    public void accept(PreparedStatement ps, CooccurrenceCount c) throws SQLException {
        ps.setString(1, c.tenant());
        ps.setString(2, c.tagA());
        ps.setString(3, c.tagB());
        ps.setLong(4, c.contents());
        ps.setTimestamp(5, Timestamp.from(c.updatedAt()));
    }
}
