package io.tagstream.sinks.postgres;

import io.tagstream.schemas.TagStat;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * Upserts a tag's stat into {@code tag_stats}. Idempotent and order-proof: a row only ever moves to
 * a higher {@code version}, so replays, retries and batches that overtake each other leave the
 * newest stat (by event time) in place.
 */
public final class TagStatStatement implements JdbcStatementBuilder<TagStat> {
    private static final long serialVersionUID = 1L;

    public static final String SQL = """
            INSERT INTO tag_stats AS s (tenant, tag, dimension, weight, trend_weight, usage_count, usage_gain,
                                        last_used, feedback_score, top_cooccurring, updated_at, half_life_ms,
                                        trend_half_life_ms, decay_rank, trend_rank, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant, tag) DO UPDATE
            SET dimension = EXCLUDED.dimension, weight = EXCLUDED.weight, trend_weight = EXCLUDED.trend_weight,
                usage_count = EXCLUDED.usage_count, usage_gain = EXCLUDED.usage_gain, last_used = EXCLUDED.last_used,
                feedback_score = EXCLUDED.feedback_score, top_cooccurring = EXCLUDED.top_cooccurring,
                updated_at = EXCLUDED.updated_at, half_life_ms = EXCLUDED.half_life_ms,
                trend_half_life_ms = EXCLUDED.trend_half_life_ms, decay_rank = EXCLUDED.decay_rank,
                trend_rank = EXCLUDED.trend_rank, version = EXCLUDED.version
            WHERE s.version < EXCLUDED.version
            """;

    @Override
    public void accept(PreparedStatement ps, TagStat s) throws SQLException {
        ps.setString(1, s.tenant());
        ps.setString(2, s.tag());
        ps.setString(3, s.dimension());
        ps.setDouble(4, s.weight());
        ps.setDouble(5, s.trendWeight());
        ps.setLong(6, s.usageCount());
        ps.setDouble(7, s.usageGain());
        ps.setTimestamp(8, s.lastUsed() == null ? null : Timestamp.from(s.lastUsed()));
        ps.setDouble(9, s.feedbackScore());
        ps.setArray(10, ps.getConnection().createArrayOf("text", s.topCooccurring().toArray()));
        ps.setTimestamp(11, Timestamp.from(s.updatedAt()));
        ps.setLong(12, s.halfLifeMs());
        ps.setLong(13, s.trendHalfLifeMs());
        setNullable(ps, 14, s.decayRank());
        setNullable(ps, 15, s.trendRank());
        ps.setLong(16, s.version());
    }

    private static void setNullable(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
