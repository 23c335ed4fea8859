package io.tagstream.udfs.taxonomy;

/** A facet of the taxonomy (e.g. content type, tone); each tag belongs to exactly one. */
public record Dimension(String id, String label, String description) implements java.io.Serializable {}
