package io.tagstream.sinks.postgres;

import java.sql.SQLException;

/**
 * Tells a record PostgreSQL refuses for good from a database that is away for a while. Only the
 * first kind may be set aside; everything else is retried, because a lost row cannot be told from
 * one never sent.
 */
final class SqlErrors {
    private SqlErrors() {}

    /**
     * Whether the statement failed because of the values it carried: SQLSTATE class 22 (data
     * exception: U+0000 in text, a value out of range), 23 (a constraint), 54 (a program limit,
     * such as an index row too large) or P0001 (a trigger raised). Connection failures (08),
     * shutdowns (57P), lack of resources (53), deadlocks (40) and a missing table (42, a schema not
     * set up yet) are not: the same row succeeds once they pass.
     */
    static boolean isRefusal(SQLException e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54")
                || state.equals("P0001"));
    }

    static String sqlState(SQLException e) {
        SQLException origin = origin(e);
        return origin == null ? null : origin.getSQLState();
    }

    /** The message of the exception that carries the SQLSTATE, not the batch's wrapper. */
    static String describe(SQLException e) {
        SQLException origin = origin(e);
        return String.valueOf((origin == null ? e : origin).getMessage());
    }

    /**
     * The innermost exception with a SQLSTATE, following next exceptions, then causes: a batch's own
     * exception quotes the whole statement with its values, its next one has the server's reason.
     * A few steps are enough; chains do not nest deeper.
     */
    private static SQLException origin(SQLException e) {
        SQLException found = null;
        Throwable t = e;
        for (int step = 0; t != null && step < 8; step++) {
            if (t instanceof SQLException s) {
                if (s.getSQLState() != null) {
                    found = s;
                }
                t = s.getNextException() != null ? s.getNextException() : s.getCause();
            } else {
                t = t.getCause();
            }
        }
        return found;
    }
}
