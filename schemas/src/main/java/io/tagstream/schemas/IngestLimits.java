package io.tagstream.schemas;

import java.io.Serializable;
import java.time.Duration;

/**
 * The two limits of the input boundary a deployment may tune; every other limit of the contract is
 * fixed in {@link FieldLimits}. See {@code docs/contracts.md}.
 *
 * @param maxRecordBytes a larger record is rejected unread
 * @param maxFutureSkew how far past the time a record is read its event time may lie; later event
 *     times are taken for clock or unit errors, since they would move watermarks and decay weights
 */
public record IngestLimits(int maxRecordBytes, Duration maxFutureSkew) implements Serializable {
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(1);
    public static final IngestLimits DEFAULT = new IngestLimits(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FUTURE_SKEW);

    public IngestLimits {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        if (maxFutureSkew == null || maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must be zero or more, was " + maxFutureSkew);
        }
    }

    public IngestLimits withMaxRecordBytes(int bytes) {
        return new IngestLimits(bytes, maxFutureSkew);
    }
}
