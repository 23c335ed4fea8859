package io.tagstream.udfs.tagging;

/** The confidence bands every tagger maps its scores onto: high ≥ 0.8, medium 0.6–0.79, low below 0.6. */
public enum ConfidenceBand {
    HIGH,
    MEDIUM,
    LOW;

    public static final double HIGH_FROM = 0.8;
    public static final double MEDIUM_FROM = 0.6;

    public static ConfidenceBand of(double confidence) {
        if (confidence >= HIGH_FROM) {
            return HIGH;
        }
        return confidence >= MEDIUM_FROM ? MEDIUM : LOW;
    }
}
