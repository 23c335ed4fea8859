package io.tagstream.udfs.tagging;

import java.util.ArrayList;
import java.util.List;

/**
 * Proposes tags for a content. Implementations are pure functions of the request and their own
 * configuration; they may return several tags per dimension, in any order. A tagger instance is
 * used by one thread at a time.
 */
public interface Tagger extends AutoCloseable {

    List<TagAssignment> tag(TaggingRequest request);

    /**
     * Tags a micro-batch, one result per request in the same order. Taggers whose model works
     * faster on batches (embeddings) override it.
     */
    default List<List<TagAssignment>> tagAll(List<TaggingRequest> requests) {
        List<List<TagAssignment>> results = new ArrayList<>(requests.size());
        for (TaggingRequest request : requests) {
            results.add(tag(request));
        }
        return results;
    }

    /** Releases connections and threads; models stay loaded for the JVM. */
    @Override
    default void close() throws Exception {}
}
