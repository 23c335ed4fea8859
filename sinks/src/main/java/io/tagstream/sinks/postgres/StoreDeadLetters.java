package io.tagstream.sinks.postgres;

import io.tagstream.schemas.JsonFields;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link StoreDeadLetter}s to {@code store_dead_letters}, once per record however often it
 * is refused. A dead letter must not be lost either, so a database that is away is waited for.
 * Opens its connection on the first dead letter: most sinks never need one.
 */
public final class StoreDeadLetters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreDeadLetters.class);
    static final String SQL = """
            INSERT INTO store_dead_letters (store, target, tenant, content_id, record_id, record, record_size, error, code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store, target, record_id) DO NOTHING
            """;

    private final PostgresConnection postgres;
    private Connection connection;

    public StoreDeadLetters(PostgresConnection postgres) {
        this.postgres = postgres;
    }

    /** Records {@code d}, retrying with a growing back-off until PostgreSQL takes it. */
    public synchronized void record(StoreDeadLetter d) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null) {
                    connection = postgres.open();
                }
                insert(connection, d);
                return;
            } catch (SQLException e) {
                LOG.warn("cannot record a dead letter of {} (attempt {}), retrying: {}", d.target(), attempt,
                        SqlErrors.describe(e));
                closeQuietly();
                Thread.sleep(Backoff.millis(attempt));
            }
        }
    }

    private static void insert(Connection connection, StoreDeadLetter d) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SQL)) {
            ps.setString(1, d.store());
            ps.setString(2, d.target());
            // Read from the refused record: they may be what was refused.
            ps.setString(3, d.tenant() == null ? null : JsonFields.storable(d.tenant()));
            ps.setString(4, d.contentId() == null ? null : JsonFields.storable(d.contentId()));
            ps.setString(5, d.recordId());
            ps.setBytes(6, d.record());
            ps.setInt(7, d.recordSize());
            ps.setString(8, d.error());
            ps.setString(9, d.code());
            ps.executeUpdate();
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // It is being replaced because it failed.
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
