package io.tagstream.sinks.postgres;

import io.tagstream.schemas.JsonFields;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The writer of a {@link PostgresSink}; see there for what it does with failures. */
final class PostgresSinkWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSinkWriter.class);
    /** While a database stays away, one warning per this many milliseconds, not one per attempt. */
    private static final long WARN_EVERY_MS = 30_000;

    private final PostgresSink<T> sink;
    private final ProcessingTimeService time;
    private final Counter retries;
    private final Counter deadLettered;
    private final StoreDeadLetters deadLetters;
    private List<T> buffer = new ArrayList<>();
    private boolean flushScheduled;
    private Connection connection;

    PostgresSinkWriter(PostgresSink<T> sink, ProcessingTimeService time, SinkWriterMetricGroup metrics) {
        this.sink = sink;
        this.time = time;
        this.retries = metrics.counter("storeRetries");
        this.deadLettered = metrics.counter("storeDeadLetters");
        this.deadLetters = new StoreDeadLetters(sink.connection());
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        buffer.add(element);
        if (buffer.size() >= sink.batchSize()) {
            flush(false);
        } else if (!flushScheduled) {
            flushScheduled = true;
            time.registerTimer(time.getCurrentProcessingTime() + sink.batchInterval().toMillis(), at -> {
                flushScheduled = false;
                flush(false);
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        List<T> batch = buffer;
        buffer = new ArrayList<>();
        write(batch);
    }

    /** Writes {@code batch}, waiting out a database that is away and setting aside what it refuses. */
    private void write(List<T> batch) throws IOException, InterruptedException {
        long firstFailure = 0;
        long lastWarning = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                execute(batch);
                if (firstFailure != 0) {
                    LOG.info("{}: written again after {} attempts", sink.table(), attempt);
                }
                return;
            } catch (SQLException e) {
                discardConnectionAfter(e);
                if (SqlErrors.isRefusal(e)) {
                    setAside(batch, e);
                    return;
                }
                long now = System.currentTimeMillis();
                if (firstFailure == 0) {
                    firstFailure = now;
                }
                if (now - lastWarning >= WARN_EVERY_MS) {
                    lastWarning = now;
                    LOG.warn("{}: cannot write {} rows ({} attempts over {} s), retrying: {}", sink.table(), batch.size(),
                            attempt, (now - firstFailure) / 1000, SqlErrors.describe(e));
                }
                retries.inc();
                Thread.sleep(Backoff.millis(attempt));
            } catch (RuntimeException e) {
                // The statement builder could not bind a record: that record, not the database, is at fault.
                setAside(batch, new SQLException("cannot bind the record: " + e, "22000", e));
                return;
            }
        }
    }

    /** Halves the batch until the refused records stand alone, then dead-letters each of them. */
    private void setAside(List<T> batch, SQLException refusal) throws IOException, InterruptedException {
        if (batch.size() == 1) {
            deadLetter(batch.get(0), refusal);
            return;
        }
        int half = batch.size() / 2;
        write(new ArrayList<>(batch.subList(0, half)));
        write(new ArrayList<>(batch.subList(half, batch.size())));
    }

    private void deadLetter(T record, SQLException refusal) throws InterruptedException {
        String reason = SqlErrors.describe(refusal);
        LOG.error("{} refused a record for good, kept in store_dead_letters: {}", sink.table(), JsonFields.abbreviate(reason));
        deadLetters.record(StoreDeadLetter.of("postgresql", sink.table(), StoreDeadLetter.json(record), reason,
                SqlErrors.sqlState(refusal)));
        deadLettered.inc();
    }

    private void execute(List<T> batch) throws SQLException {
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(sink.sql())) {
            for (T record : batch) {
                sink.statement().accept(ps, record);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Properties properties = new Properties();
            properties.putAll(sink.driverProperties());
            connection = sink.connection().open(properties);
            connection.setAutoCommit(false);
        }
        return connection;
    }

    /** After a refusal the connection is fine; after anything else it may not be, so open a new one. */
    private void discardConnectionAfter(SQLException e) {
        if (SqlErrors.isRefusal(e) || connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // It is being replaced because it failed.
        }
        connection = null;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is discarded by the caller when it is broken.
        }
    }

    @Override
    public void close() throws Exception {
        deadLetters.close();
        if (connection != null) {
            connection.close();
        }
    }
}
