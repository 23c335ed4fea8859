package io.tagstream.udfs.feedback;

/** The latest text of a content, kept so that feedback on it can become an example. */
public record ContentText(String title, String body, String lang) {}
