package io.tagstream.udfs.tagging;

import io.tagstream.udfs.tagging.llm.LlmListener;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.io.Serializable;

/**
 * Builds a tagger where it runs: taggers hold matchers and models that are built once per task,
 * never shipped inside the job graph.
 */
@FunctionalInterface
public interface TaggerFactory extends Serializable {

    Tagger create(Taxonomy taxonomy);

    /**
     * The same, telling {@code llm} what the tagger's language model calls do (for metrics, which
     * exist only where the tagger runs). Taggers that call no language model ignore it.
     */
    default Tagger create(Taxonomy taxonomy, LlmListener llm) {
        return create(taxonomy);
    }
}
