package io.tagstream.sinks.postgres;

import io.tagstream.udfs.tagging.embedding.ExampleSource;
import io.tagstream.udfs.tagging.embedding.TagExample;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code tag_examples} for the embedding tagger: the rows changed since a revision.
 * Revisions come from a sequence, so a transaction that took a lower revision may commit after
 * a reader saw a higher one; each read therefore looks {@value #LOOK_BACK} revisions back, and
 * re-reading a row is harmless (it states the current verdict).
 */
public final class PostgresTagExamples implements ExampleSource {
    private static final long serialVersionUID = 1L;
    static final long LOOK_BACK = 1000;

    private final PostgresConnection connection;

    public PostgresTagExamples(PostgresConnection connection) {
        this.connection = connection;
    }

    @Override
    public Reader open() throws SQLException {
        return new ExampleReader(connection);
    }

    private static final class ExampleReader implements Reader {
        private final PostgresConnection connection;
        private Connection open;

        ExampleReader(PostgresConnection connection) {
            this.connection = connection;
        }

        @Override
        public List<TagExample> changedSince(long revision) throws SQLException {
            if (open == null || !open.isValid(2)) {
                open = connection.open();
            }
            List<TagExample> examples = new ArrayList<>();
            try (PreparedStatement q = open.prepareStatement(
                    "SELECT revision, tenant, content_id, tag, model, vector, active FROM tag_examples "
                            + "WHERE revision > ? ORDER BY revision")) {
                q.setLong(1, Math.max(0, revision - LOOK_BACK));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        Array array = rs.getArray(6);
                        Float[] boxed = (Float[]) array.getArray();
                        float[] vector = new float[boxed.length];
                        for (int i = 0; i < vector.length; i++) {
                            vector[i] = boxed[i];
                        }
                        examples.add(new TagExample(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), vector, rs.getBoolean(7)));
                    }
                }
            }
            return examples;
        }

        @Override
        public void close() throws SQLException {
            if (open != null) {
                open.close();
            }
        }
    }
}
