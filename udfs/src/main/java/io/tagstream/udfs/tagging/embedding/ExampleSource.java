package io.tagstream.udfs.tagging.embedding;

import java.io.Serializable;
import java.util.List;

/**
 * Where confirmed examples come from (PostgreSQL {@code tag_examples} in the job, a file in
 * {@code tagstream eval}). Opened where the tagger runs, so it is serializable and cheap to ship.
 */
public interface ExampleSource extends Serializable {

    /** Opens a reader; the tagger closes it with itself. */
    Reader open() throws Exception;

    interface Reader extends AutoCloseable {
        /** Every example changed after {@code revision}, in revision order. */
        List<TagExample> changedSince(long revision) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    /** No examples at all: the tagger works zero-shot. */
    static ExampleSource none() {
        return () -> revision -> List.of();
    }
}
