package io.tagstream.jobs.query;

import io.tagstream.jobs.privacy.PrivacyExport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

/**
 * What a query runs against: a database connection, the export (which also reads the contents
 * index), and the clock that says what "now" is for defaults such as trending's window end.
 */
public record TraceContext(Connection connection, PrivacyExport exporter, Clock clock) {

    /** The export of one content, as JSON bytes. */
    Object export(String tenant, String contentId) throws SQLException, IOException, InterruptedException {
        if (!exists(tenant, contentId)) {
            throw QueryException.notFound("tenant '" + tenant + "' holds nothing about content '" + contentId + "'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.write(connection, tenant, contentId, out);
        return new ExportBytes(out.toByteArray());
    }

    private boolean exists(String tenant, String contentId) throws SQLException {
        return !io.tagstream.sinks.postgres.SqlRows.query(connection, """
                SELECT 1 FROM tag_events WHERE tenant = ? AND content_id = ?
                UNION ALL SELECT 1 FROM content_erasures WHERE tenant = ? AND content_id = ?
                LIMIT 1""", tenant, contentId, tenant, contentId).isEmpty();
    }

    /** An answer that is already JSON. */
    public record ExportBytes(byte[] json) {}
}
