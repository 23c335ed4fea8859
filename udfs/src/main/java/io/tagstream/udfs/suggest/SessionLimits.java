package io.tagstream.udfs.suggest;

import java.io.Serializable;

/**
 * When a suggestion session gives up, returning its best result so far and the reason. Each
 * limit is a configuration key ({@code suggest.*}, see {@code docs/configuration.md}).
 *
 * @param maxCost model cost a session may spend, in US dollars; exceeding it aborts
 * @param maxTurns turns (requests) a session may take; a session not finished by then aborts
 * @param maxCallsPerTool calls each tool may get; a call beyond it aborts instead
 * @param idleTimeoutMillis a session without a turn for this long aborts (checked by a delayed
 *     message, so it survives restarts and never reads a clock)
 * @param maxIdenticalRefinements this many identical refinements in a row mean the session has
 *     converged: it aborts with what it has
 */
public record SessionLimits(double maxCost, int maxTurns, int maxCallsPerTool, long idleTimeoutMillis,
        int maxIdenticalRefinements) implements Serializable {

    /** The seed's limits: $0.015, 15 turns, 5 calls per tool, 120 s, 3 identical refinements. */
    public static final SessionLimits DEFAULT = new SessionLimits(0.015, 15, 5, 120_000, 3);

    public SessionLimits {
        if (!(maxCost >= 0) || maxTurns < 1 || maxCallsPerTool < 1 || idleTimeoutMillis < 1
                || maxIdenticalRefinements < 2) {
            throw new IllegalArgumentException("invalid session limits: cost " + maxCost + ", turns " + maxTurns
                    + ", calls per tool " + maxCallsPerTool + ", idle timeout " + idleTimeoutMillis
                    + " ms, identical refinements " + maxIdenticalRefinements + " (at least 2)");
        }
    }
}
