package io.tagstream.sinks.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * Where the database is and how to log in. The password is never part of {@link #toString()},
 * so it cannot reach a log line through this object.
 */
public record PostgresConnection(String url, String user, String password) implements Serializable {

    public Connection open() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    public JdbcConnectionOptions jdbcOptions() {
        return jdbcOptions(Map.of());
    }

    /** The sinks' connection, with driver properties (e.g. {@code reWriteBatchedInserts}). */
    public JdbcConnectionOptions jdbcOptions(Map<String, String> driverProperties) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder options = new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(url)
                .withDriverName("org.postgresql.Driver")
                .withUsername(user)
                .withPassword(password);
        driverProperties.forEach(options::withProperty);
        return options.build();
    }

    @Override
    public String toString() {
        return "PostgresConnection[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
