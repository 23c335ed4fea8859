package io.tagstream.udfs.tagging;

/** The text of one content, as a tagger sees it. */
public record TaggingRequest(String tenant, String contentId, String title, String body, String lang) {}
