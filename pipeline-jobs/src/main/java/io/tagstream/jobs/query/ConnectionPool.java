package io.tagstream.jobs.query;

import io.tagstream.sinks.postgres.PostgresConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed number of database connections for the API's request threads, opened on first use.
 * A connection that failed is closed and replaced by a fresh one at the next borrow.
 */
final class ConnectionPool implements AutoCloseable {
    private final PostgresConnection postgres;
    private final BlockingQueue<Connection> idle;
    private final BlockingQueue<Boolean> permits;

    ConnectionPool(PostgresConnection postgres, int size) {
        this.postgres = postgres;
        this.idle = new ArrayBlockingQueue<>(size);
        this.permits = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            permits.add(Boolean.TRUE);
        }
    }

    /** A connection for one request; hand it back with {@link #release}. */
    Connection borrow() throws SQLException, InterruptedException {
        permits.take();
        Connection c = idle.poll();
        if (c != null) {
            return c;
        }
        try {
            return postgres.open();
        } catch (SQLException e) {
            permits.add(Boolean.TRUE);
            throw e;
        }
    }

    /** @param broken whether the request failed on the database side; the connection is then closed */
    void release(Connection c, boolean broken) {
        if (broken) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // it is being discarded anyway
            }
        } else {
            idle.add(c);
        }
        permits.add(Boolean.TRUE);
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing on shutdown
            }
        }
    }
}
