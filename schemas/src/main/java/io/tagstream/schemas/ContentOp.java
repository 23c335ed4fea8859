package io.tagstream.schemas;

/** What a content event does to its content. */
public enum ContentOp {
    /** Create the content or replace its text; the content is (re-)tagged. */
    UPSERT,
    /** Remove the content; all its tags are removed as versioned events. */
    DELETE
}
