package io.tagstream.sinks.postgres;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * Writes records to one PostgreSQL table in batches, at least once, with a statement that is
 * idempotent, so the table ends up as if each record had been written once. It outlives both ways a
 * database can fail a record:
 *
 * <ul>
 *   <li>A record the table refuses for good ({@link SqlErrors#isRefusal}) is found by halving its
 *       batch, goes to {@code store_dead_letters} with PostgreSQL's reason, and the rest is written:
 *       one bad record can neither fail the job in a loop nor hold back the others.
 *   <li>A database that is away (refused connections, a shutdown, a missing table) is waited for:
 *       the batch is retried with a growing back-off of up to 30 s, the task
 *       writes nothing else meanwhile, and the pipeline backs up. Nothing is dropped or set aside.
 * </ul>
 *
 * <p>Batches are flushed when full, after {@code batchInterval}, and on every checkpoint.
 */
public final class PostgresSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final PostgresConnection connection;
    private final Map<String, String> driverProperties;
    private final String table;
    private final String sql;
    private final JdbcStatementBuilder<T> statement;
    private final int batchSize;
    private final Duration batchInterval;

    private PostgresSink(Builder<T> b) {
        this.connection = b.connection;
        this.driverProperties = Map.copyOf(b.driverProperties);
        this.table = b.table;
        this.sql = b.sql;
        this.statement = b.statement;
        this.batchSize = b.batchSize;
        this.batchInterval = b.batchInterval;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return new PostgresSinkWriter<>(this, context.getProcessingTimeService(), context.metricGroup());
    }

    PostgresConnection connection() {
        return connection;
    }

    Map<String, String> driverProperties() {
        return driverProperties;
    }

    String table() {
        return table;
    }

    String sql() {
        return sql;
    }

    JdbcStatementBuilder<T> statement() {
        return statement;
    }

    int batchSize() {
        return batchSize;
    }

    Duration batchInterval() {
        return batchInterval;
    }

    public static final class Builder<T> {
        private PostgresConnection connection;
        private Map<String, String> driverProperties = Map.of();
        private String table;
        private String sql;
        private JdbcStatementBuilder<T> statement;
        private int batchSize = 500;
        private Duration batchInterval = Duration.ofMillis(200);

        public Builder<T> connection(PostgresConnection connection) {
            this.connection = connection;
            return this;
        }

        /** Driver properties, e.g. {@code reWriteBatchedInserts} for a log that only appends. */
        public Builder<T> driverProperties(Map<String, String> driverProperties) {
            this.driverProperties = driverProperties;
            return this;
        }

        /** The table {@code sql} writes, as dead letters name it. */
        public Builder<T> statement(String table, String sql, JdbcStatementBuilder<T> statement) {
            this.table = table;
            this.sql = sql;
            this.statement = statement;
            return this;
        }

        public Builder<T> batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder<T> batchInterval(Duration batchInterval) {
            this.batchInterval = batchInterval;
            return this;
        }

        public PostgresSink<T> build() {
            if (connection == null || sql == null || statement == null) {
                throw new IllegalStateException("a PostgreSQL sink needs a connection and a statement");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
            }
            return new PostgresSink<>(this);
        }
    }
}
