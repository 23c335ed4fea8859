package io.tagstream.udfs.graph;

/** A taxonomy command the graph cannot take; the message says why, for its dead letter. */
public class InvalidCommandException extends Exception {
    public InvalidCommandException(String message) {
        super(message);
    }
}
