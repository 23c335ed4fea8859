package io.tagstream.sinks.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies the versioned SQL migrations shipped in {@code db/migration/} (listed, in order, in
 * {@code migrations.txt}) that the database has not seen yet, each in its own transaction. Safe to
 * run from several processes at once: an advisory lock serialises them.
 */
public final class PostgresMigrations {
    private static final String ROOT = "db/migration/";
    /** Any constant shared by all Tagstream processes; "tagstrm" in ASCII. */
    private static final long LOCK_KEY = 0x746167737472_6dL;

    private PostgresMigrations() {}

    /** @return the names of the migrations applied by this call */
    public static List<String> apply(PostgresConnection connection, Consumer<String> progress)
            throws SQLException, IOException {
        try (Connection c = connection.open()) {
            return apply(c, progress);
        }
    }

    public static List<String> apply(Connection c, Consumer<String> progress) throws SQLException, IOException {
        List<String> applied = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
        }
        try {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        + "name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            }
            for (String name : listed()) {
                if (isApplied(c, name)) {
                    continue;
                }
                progress.accept("applying migration " + name);
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try (Statement s = c.createStatement();
                        PreparedStatement record = c.prepareStatement("INSERT INTO schema_migrations (name) VALUES (?)")) {
                    s.execute(read(name));
                    record.setString(1, name);
                    record.executeUpdate();
                    c.commit();
                    applied.add(name);
                } catch (SQLException e) {
                    c.rollback();
                    throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
                } finally {
                    c.setAutoCommit(autoCommit);
                }
            }
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        }
        return applied;
    }

    static List<String> listed() throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resource("migrations.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    names.add(line);
                }
            }
        }
        return names;
    }

    private static boolean isApplied(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM schema_migrations WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String read(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = PostgresMigrations.class.getClassLoader().getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IOException("migration resource " + ROOT + name + " is missing from the classpath");
        }
        return in;
    }
}
