package io.tagstream.sinks.postgres;

/** How long to wait before the next attempt at a store that is away: 200 ms, doubling, at most 30 s. */
final class Backoff {
    static final long MAX_MS = 30_000;

    private Backoff() {}

    static long millis(int attempt) {
        return Math.min(200L << Math.min(attempt - 1, 10), MAX_MS);
    }
}
