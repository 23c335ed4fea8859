package io.tagstream.udfs.weights;

import java.io.Serializable;

/**
 * Exponential decay in event time with one half-life {@code h}: a weight {@code w} is worth
 * {@code w·2^(−Δt/h) = w·e^(−λ·Δt)}, {@code λ = ln 2 / h}, after {@code Δt} milliseconds.
 *
 * <p>The factor is computed as an exact power of two for the whole half-lives in {@code Δt} times
 * {@link StrictMath#pow} of the rest. So one half-life halves a weight exactly, the factor never
 * grows with {@code Δt}, and it is the same bits on every JVM (which {@link Math} does not
 * promise), which replays need.
 */
public final class TagDecay implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double LN_2 = StrictMath.log(2.0);
    /** 2^-1075 rounds to 0: no double survives more halvings than this. */
    private static final long HALVINGS_TO_ZERO = 1075;

    private final long halfLifeMs;

    public TagDecay(long halfLifeMs) {
        if (halfLifeMs <= 0) {
            throw new IllegalArgumentException("a half-life must be positive, was " + halfLifeMs + " ms");
        }
        this.halfLifeMs = halfLifeMs;
    }

    public long halfLifeMs() {
        return halfLifeMs;
    }

    /** {@code 2^(−Δt/h)}; 1 for {@code Δt ≤ 0}: weights never grow back. */
    public double factor(long dtMs) {
        if (dtMs <= 0) {
            return 1.0;
        }
        long halvings = dtMs / halfLifeMs;
        if (halvings >= HALVINGS_TO_ZERO) {
            return 0.0;
        }
        double rest = StrictMath.pow(0.5, (double) (dtMs % halfLifeMs) / halfLifeMs);
        return Math.scalb(rest, (int) -halvings);
    }

    public double decay(double weight, long dtMs) {
        return weight * factor(dtMs);
    }

    /**
     * The shortest time after which {@code weight} has decayed below {@code floor}: 0 if it is
     * already below, {@link Long#MAX_VALUE} if it never gets there (a floor of 0).
     */
    public long timeToFall(double weight, double floor) {
        if (weight < floor) {
            return 0;
        }
        if (floor <= 0) {
            return Long.MAX_VALUE;
        }
        double estimate = Math.ceil(halfLifeMs * (StrictMath.log(weight / floor) / LN_2));
        if (estimate >= (double) (Long.MAX_VALUE / 2)) {
            return Long.MAX_VALUE;
        }
        // The logarithm may be an ulp short of the boundary; step over it exactly.
        long dt = Math.max(0, (long) estimate);
        while (decay(weight, dt) >= floor) {
            dt++;
        }
        return dt;
    }
}
