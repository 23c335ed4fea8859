package io.tagstream.schemas;

import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;

/**
 * Reads and validates one contract record from raw bytes, or says exactly what is wrong with them.
 * What each field may hold is the boundary contract: {@link FieldLimits}, {@link IngestLimits} and
 * {@code docs/contracts.md}.
 */
public interface RecordReader<T> extends Serializable {

    /** @param readAt when the record is read: event times may lie at most the allowed skew past it */
    T read(byte[] raw, Instant readAt) throws InvalidRecordException;

    /** Reads the record now. */
    default T read(byte[] raw) throws InvalidRecordException {
        return read(raw, Clock.systemUTC().instant());
    }

    IngestLimits limits();
}
