package io.tagstream.sinks.postgres;

import io.tagstream.schemas.DeadLetter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Base64;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/** Records a dead letter once per source record and stage, however often it is replayed. */
public final class DeadLetterStatement implements JdbcStatementBuilder<DeadLetter> {
    private static final long serialVersionUID = 1L;

    public static final String SQL = """
            INSERT INTO dead_letters (stage, error, topic, kafka_partition, kafka_offset, record_timestamp,
                                      record_key, raw, raw_truncated, raw_size, failed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (topic, kafka_partition, kafka_offset, stage) DO NOTHING
            """;

    @Override
    public void accept(PreparedStatement ps, DeadLetter d) throws SQLException {
        Base64.Decoder base64 = Base64.getDecoder();
        ps.setString(1, d.stage());
        ps.setString(2, d.error());
        ps.setString(3, d.topic());
        ps.setInt(4, d.partition());
        ps.setLong(5, d.offset());
        ps.setTimestamp(6, d.recordTimestamp() == null ? null : Timestamp.from(d.recordTimestamp()));
        ps.setBytes(7, d.keyBase64() == null ? null : base64.decode(d.keyBase64()));
        ps.setBytes(8, base64.decode(d.rawBase64()));
        ps.setBoolean(9, d.rawTruncated());
        ps.setInt(10, d.rawSize());
        ps.setTimestamp(11, Timestamp.from(d.failedAt()));
    }
}
