package io.tagstream.udfs.content;

/**
 * A tag a model or user proposed that the knowledge graph did not let through, and why.
 *
 * @param blocked dropped by the safety policy: such a tag is never written anywhere by name
 */
public record DroppedTag(String tag, double confidence, String source, String reason, boolean blocked) {}
