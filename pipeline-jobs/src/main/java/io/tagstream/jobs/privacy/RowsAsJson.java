package io.tagstream.jobs.privacy;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * Streams the rows of a query as a JSON array of objects, one field per column: text as is,
 * numbers as numbers, times as ISO-8601 instants, bytes as base64, arrays as arrays. Reads with
 * a cursor, so a tenant's whole log fits through it.
 */
final class RowsAsJson {
    private RowsAsJson() {}

    /** @param c a connection outside auto-commit, so that the driver can use a cursor */
    static long write(JsonGenerator out, String field, Connection c, String sql, Object... args)
            throws SQLException, IOException {
        long rows = 0;
        out.writeArrayFieldStart(field);
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            q.setFetchSize(1_000);
            try (ResultSet rs = q.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    out.writeStartObject();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        out.writeFieldName(meta.getColumnLabel(i));
                        value(out, rs, i, meta.getColumnType(i));
                    }
                    out.writeEndObject();
                    rows++;
                }
            }
        }
        out.writeEndArray();
        return rows;
    }

    private static void value(JsonGenerator out, ResultSet rs, int i, int type) throws SQLException, IOException {
        if (rs.getObject(i) == null) {
            out.writeNull();
            return;
        }
        switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> out.writeNumber(rs.getLong(i));
            case Types.DOUBLE, Types.REAL, Types.FLOAT -> out.writeNumber(rs.getDouble(i));
            case Types.NUMERIC, Types.DECIMAL -> out.writeNumber(rs.getBigDecimal(i));
            case Types.BOOLEAN, Types.BIT -> out.writeBoolean(rs.getBoolean(i));
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE ->
                    out.writeString(rs.getObject(i, OffsetDateTime.class).toInstant().toString());
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY ->
                    out.writeString(Base64.getEncoder().encodeToString(rs.getBytes(i)));
            case Types.ARRAY -> {
                Array array = rs.getArray(i);
                out.writeStartArray();
                for (Object element : (Object[]) array.getArray()) {
                    out.writeString(String.valueOf(element));
                }
                out.writeEndArray();
            }
            default -> out.writeString(rs.getString(i));
        }
    }
}
