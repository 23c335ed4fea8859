package io.tagstream.schemas;

/** What a tag event did to one tag of one content. */
public enum TagAction {
    ADDED,
    REMOVED,
    UPDATED,
    CONFIRMED,
    REJECTED
}
