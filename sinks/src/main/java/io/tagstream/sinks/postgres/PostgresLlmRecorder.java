package io.tagstream.sinks.postgres;

import io.tagstream.schemas.JsonFields;
import io.tagstream.udfs.tagging.llm.LlmRecorder;
import io.tagstream.udfs.tagging.llm.LlmUsage;
import io.tagstream.udfs.tagging.llm.TagCandidate;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each LLM call to {@code llm_usage} and each out-of-taxonomy proposal to
 * {@code tag_candidates} (counting repeats), right away: a call is a fact whether or not the
 * job later replays the content. A database error is logged and never fails tagging.
 */
public final class PostgresLlmRecorder implements LlmRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLlmRecorder.class);

    static final String USAGE_SQL = "INSERT INTO llm_usage (tenant, content_id, model, purpose, prompt_version, attempt, "
            + "input_tokens, output_tokens, cost_usd, latency_ms, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String CANDIDATE_SQL = """
            INSERT INTO tag_candidates AS c (tenant, label, dimension, model, prompt_version, example_content_id, confidence, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant, label, dimension) DO UPDATE
            SET occurrences = c.occurrences + 1, last_seen = now(), confidence = GREATEST(c.confidence, EXCLUDED.confidence)
            """;

    private final PostgresConnection connection;
    private Connection open;

    public PostgresLlmRecorder(PostgresConnection connection) {
        this.connection = connection;
    }

    public static Factory factory(PostgresConnection connection) {
        return () -> new PostgresLlmRecorder(connection);
    }

    @Override
    public void usage(LlmUsage u) {
        write(USAGE_SQL, ps -> {
            ps.setString(1, u.tenant());
            ps.setString(2, u.contentId());
            ps.setString(3, u.model());
            ps.setString(4, u.purpose());
            ps.setString(5, u.promptVersion());
            ps.setInt(6, u.attempt());
            ps.setLong(7, u.inputTokens());
            ps.setLong(8, u.outputTokens());
            ps.setBigDecimal(9, BigDecimal.valueOf(u.costUsd()).setScale(6, java.math.RoundingMode.HALF_UP));
            ps.setLong(10, u.latencyMs());
            ps.setString(11, u.outcome());
            ps.setString(12, u.error() == null ? null : JsonFields.storable(u.error()));
        });
    }

    @Override
    public void candidate(TagCandidate c) {
        write(CANDIDATE_SQL, ps -> {
            ps.setString(1, c.tenant());
            ps.setString(2, c.label());
            ps.setString(3, c.dimension());
            ps.setString(4, c.model());
            ps.setString(5, c.promptVersion());
            ps.setString(6, c.contentId());
            ps.setDouble(7, c.confidence());
            ps.setString(8, c.reason());
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void write(String sql, Binder binder) {
        try {
            if (open == null || !open.isValid(2)) {
                open = connection.open();
            }
            try (PreparedStatement ps = open.prepareStatement(sql)) {
                binder.bind(ps);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            LOG.warn("could not record LLM usage or candidate: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (open != null) {
                open.close();
            }
        } catch (SQLException e) {
            LOG.warn("closing the LLM usage connection: {}", e.getMessage());
        }
    }
}
