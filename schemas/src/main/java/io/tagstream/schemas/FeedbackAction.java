package io.tagstream.schemas;

/** A user's verdict on one tag of one content. */
public enum FeedbackAction {
    ACCEPT,
    REJECT,
    ADD,
    REMOVE
}
