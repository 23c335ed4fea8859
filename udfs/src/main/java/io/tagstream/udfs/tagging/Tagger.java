package io.tagstream.udfs.tagging;

import java.util.List;

/**
 * Proposes tags for a content. Implementations are pure functions of the request and their own
 * configuration; they may return several tags per dimension, in any order.
 */
public interface Tagger {

    List<TagAssignment> tag(TaggingRequest request);
}
