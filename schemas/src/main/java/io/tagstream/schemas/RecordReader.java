package io.tagstream.schemas;

import java.io.Serializable;

/** Reads and validates one contract record from raw bytes, or says exactly what is wrong with them. */
public interface RecordReader<T> extends Serializable {

    T read(byte[] raw) throws InvalidRecordException;

    /** Larger records are rejected unread (and kept only up to this size in their dead letter). */
    int maxRecordBytes();
}
