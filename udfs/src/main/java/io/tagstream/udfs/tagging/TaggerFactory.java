package io.tagstream.udfs.tagging;

import io.tagstream.udfs.taxonomy.Taxonomy;
import java.io.Serializable;

/**
 * Builds a tagger where it runs: taggers hold matchers and models that are built once per task,
 * never shipped inside the job graph.
 */
@FunctionalInterface
public interface TaggerFactory extends Serializable {

    Tagger create(Taxonomy taxonomy);
}
