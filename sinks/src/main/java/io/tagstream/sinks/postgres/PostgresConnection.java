package io.tagstream.sinks.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the database is and how to log in. The password is never part of {@link #toString()},
 * so it cannot reach a log line through this object.
 */
public record PostgresConnection(String url, String user, String password) implements Serializable {

    /**
     * Asks the driver itself, not {@code DriverManager}: a job's main method runs on the
     * JobManager in a class loader of its own, and {@code DriverManager} registers drivers once per
     * JVM, so after the first job's loader a second submission found "no suitable driver".
     */
    public Connection open() throws SQLException {
        return open(new Properties());
    }

    /** A connection with driver properties, e.g. {@code reWriteBatchedInserts}. */
    public Connection open(Properties driverProperties) throws SQLException {
        Properties login = new Properties();
        login.putAll(driverProperties);
        if (user != null) {
            login.setProperty("user", user);
        }
        if (password != null) {
            login.setProperty("password", password);
        }
        Connection connection = new org.postgresql.Driver().connect(url, login);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url);
        }
        return connection;
    }

    @Override
    public String toString() {
        return "PostgresConnection[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
