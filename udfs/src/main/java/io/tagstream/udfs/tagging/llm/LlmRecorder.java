package io.tagstream.udfs.tagging.llm;

import java.io.Serializable;

/**
 * Where the LLM tagger writes what it spent ({@code llm_usage}) and the new tags it proposed
 * ({@code tag_candidates}). Recording must never fail tagging: implementations log and go on.
 */
public interface LlmRecorder extends AutoCloseable {

    void usage(LlmUsage usage);

    void candidate(TagCandidate candidate);

    @Override
    default void close() {}

    /** Opens a recorder where the tagger runs. */
    interface Factory extends Serializable {
        LlmRecorder open();
    }
}
