package io.tagstream.jobs.query;

/**
 * A query the caller has to change: bad parameters (400), nothing there (404), an erased content
 * (410). Its message is safe to show to the caller; {@code detail} is sent along as JSON.
 */
public final class QueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Object detail;

    private QueryException(int status, String message, Object detail) {
        super(message);
        this.status = status;
        this.detail = detail;
    }

    public static QueryException badRequest(String message) {
        return new QueryException(400, message, null);
    }

    public static QueryException notFound(String message) {
        return new QueryException(404, message, null);
    }

    public static QueryException erased(String message, Object tombstone) {
        return new QueryException(410, message, tombstone);
    }

    /** The HTTP status that says what went wrong. */
    public int status() {
        return status;
    }

    /** More to send with the message, or {@code null}. */
    public Object detail() {
        return detail;
    }
}
