package io.tagstream.udfs.tagging.llm;

/**
 * What the {@link LlmTagger} reports as it works, for whoever counts it (the Flink wrapper binds
 * it to its metric group, {@code io.tagstream.udfs.flink.LlmMetrics}) without the tagger knowing
 * them. Called on the tagging thread; implementations must be quick and must not throw.
 */
public interface LlmListener {
    /** Listens to nothing. */
    LlmListener NONE = new LlmListener() {};

    /** A call was made and answered or failed: the row {@code llm_usage} gets. */
    default void called(LlmUsage call) {}

    /** A call was not made because the circuit breaker was open; the content falls back. */
    default void refusedByOpenCircuit() {}

    /** A content was tagged by the fallback tagger; {@code why} is what its tags' model says. */
    default void fellBack(String why) {}
}
