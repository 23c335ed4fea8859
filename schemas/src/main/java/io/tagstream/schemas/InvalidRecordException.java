package io.tagstream.schemas;

/** A record that does not meet its contract; the message says why, for the dead-letter record. */
public class InvalidRecordException extends Exception {
    public InvalidRecordException(String message) {
        super(message);
    }
}
