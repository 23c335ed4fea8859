package io.tagstream.sinks.postgres;

import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.suggest.SessionState;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * Keeps each suggestion session's latest state. Idempotent and never backwards: a row is only
 * replaced by more progress, or by the same progress ending the session (an idle timeout).
 */
public final class SuggestSessionStatement implements JdbcStatementBuilder<SessionState> {
    private static final long serialVersionUID = 1L;

    public static final String SQL = """
            INSERT INTO suggest_sessions (session_id, tenant, idea, phase, turns, progress, cost, input_tokens,
                                          output_tokens, tool_calls, directions, result, quality_score, refused,
                                          abort_reason, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)
            ON CONFLICT (session_id) DO UPDATE SET
                idea = EXCLUDED.idea, phase = EXCLUDED.phase, turns = EXCLUDED.turns, progress = EXCLUDED.progress,
                cost = EXCLUDED.cost, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
                tool_calls = EXCLUDED.tool_calls, directions = EXCLUDED.directions, result = EXCLUDED.result,
                quality_score = EXCLUDED.quality_score, refused = EXCLUDED.refused,
                abort_reason = EXCLUDED.abort_reason, updated_at = EXCLUDED.updated_at
            WHERE suggest_sessions.progress < EXCLUDED.progress
               OR (suggest_sessions.progress = EXCLUDED.progress
                   AND suggest_sessions.phase NOT IN ('completed', 'aborted'))
            """;

    @Override
    public void accept(PreparedStatement ps, SessionState s) throws SQLException {
        ps.setString(1, s.sessionId());
        ps.setString(2, s.tenant());
        ps.setString(3, s.idea());
        ps.setString(4, s.phase().wireName());
        ps.setInt(5, s.turns());
        ps.setLong(6, s.progress());
        ps.setBigDecimal(7, BigDecimal.valueOf(s.cost()));
        ps.setLong(8, s.inputTokens());
        ps.setLong(9, s.outputTokens());
        ps.setString(10, Json.toString(s.toolCalls()));
        ps.setString(11, Json.toString(s.directions()));
        ps.setString(12, s.result() == null ? null : Json.toString(s.result()));
        if (s.result() == null) {
            ps.setNull(13, Types.INTEGER);
        } else {
            ps.setInt(13, s.result().qualityScore());
        }
        ps.setBoolean(14, s.refused());
        ps.setString(15, s.abortReason());
        ps.setTimestamp(16, Timestamp.from(s.updatedAt()));
    }
}
