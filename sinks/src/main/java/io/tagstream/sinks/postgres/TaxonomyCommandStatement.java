package io.tagstream.sinks.postgres;

import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.json.Json;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/** Logs a taxonomy command the job applied, once per command id. */
public final class TaxonomyCommandStatement implements JdbcStatementBuilder<TaxonomyCommand> {
    private static final long serialVersionUID = 1L;

    public static final String SQL = """
            INSERT INTO taxonomy_commands (command_id, command, tenant, tag, target, attributes, actor, issued_at)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            ON CONFLICT (command_id) DO NOTHING
            """;

    @Override
    public void accept(PreparedStatement ps, TaxonomyCommand c) throws SQLException {
        ps.setString(1, c.commandId());
        ps.setString(2, c.command().name());
        ps.setString(3, c.tenant());
        ps.setString(4, c.tag());
        ps.setString(5, c.target());
        ps.setString(6, Json.toString(c.attributes()));
        ps.setString(7, c.actor());
        ps.setTimestamp(8, Timestamp.from(c.issuedAt()));
    }
}
