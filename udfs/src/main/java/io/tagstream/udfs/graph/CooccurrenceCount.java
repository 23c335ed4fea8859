package io.tagstream.udfs.graph;

import java.time.Instant;

/** How many of a tenant's contents carry a tag pair now (see {@link CooccurrenceDelta} for the keys). */
public record CooccurrenceCount(String tenant, String tagA, String tagB, long contents, Instant updatedAt) {}
