package io.tagstream.schemas;

/** The changes a taxonomy command can make to the knowledge graph. */
public enum TaxonomyCommandType {
    ADD_TAG,
    UPDATE_TAG,
    ADD_ALIAS,
    MERGE,
    RENAME,
    ADD_IMPLICATION,
    ADD_CONFLICT,
    BLOCK_TAG,
    SET_POLICY
}
