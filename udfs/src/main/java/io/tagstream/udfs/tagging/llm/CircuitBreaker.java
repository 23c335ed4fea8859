package io.tagstream.udfs.tagging.llm;

import java.util.function.LongSupplier;

/**
 * Stops calling a failing model: after {@code failuresToOpen} failed calls in a row it opens and
 * refuses calls for {@code openMillis}; then one trial call is let through (half-open), whose
 * success closes it and whose failure opens it again. Used by one thread.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failuresToOpen;
    private final long openMillis;
    private final LongSupplier clockMillis;
    private int consecutiveFailures;
    private long openedAt;
    private State state = State.CLOSED;

    public CircuitBreaker(int failuresToOpen, long openMillis, LongSupplier clockMillis) {
        if (failuresToOpen <= 0) {
            throw new IllegalArgumentException("failuresToOpen must be positive");
        }
        this.failuresToOpen = failuresToOpen;
        this.openMillis = openMillis;
        this.clockMillis = clockMillis;
    }

    /** Whether a call may go out now. */
    public boolean allowsCall() {
        if (state == State.OPEN && clockMillis.getAsLong() - openedAt >= openMillis) {
            state = State.HALF_OPEN;
        }
        return state != State.OPEN;
    }

    public void success() {
        consecutiveFailures = 0;
        state = State.CLOSED;
    }

    public void failure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failuresToOpen) {
            state = State.OPEN;
            openedAt = clockMillis.getAsLong();
        }
    }

    public State state() {
        allowsCall();
        return state;
    }
}
