package io.tagstream.sinks.elasticsearch;

import java.io.Serializable;

/**
 * One document to index, with the version that orders it. Elasticsearch keeps the highest version
 * it has seen ({@code version_type=external_gte}), so retries, replays and out-of-order batches
 * all converge on the newest document.
 */
public record IndexAction(String index, String id, long version, String sourceJson) implements Serializable {}
