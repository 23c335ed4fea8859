package io.tagstream.udfs.graph;

/** Lifecycle of a tag in the graph. Merged and renamed tags live on as aliases of their target. */
public enum TagStatus {
    ACTIVE,
    DEPRECATED,
    BLOCKED,
    MERGED
}
