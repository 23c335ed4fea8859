package io.tagstream.udfs.tagging.embedding;

/**
 * One confirmed (or withdrawn) example: the content's text embedded by {@code model} carries
 * {@code tag}. Several examples of one content form one multi-label neighbour.
 *
 * @param revision increases with every change in the store, so readers can ask for what is new
 * @param active false when feedback withdrew the tag (REJECT or REMOVE after an ACCEPT or ADD)
 */
public record TagExample(
        long revision, String tenant, String contentId, String tag, String model, float[] vector, boolean active) {}
