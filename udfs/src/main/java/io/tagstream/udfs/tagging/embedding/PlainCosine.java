package io.tagstream.udfs.tagging.embedding;

import io.tagstream.udfs.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain approach the embedding tagger is measured against: raw cosine similarity of a text
 * to each tag's text, with the same model and tag texts, and no calibration.
 */
public final class PlainCosine {
    private final TagProfiles profiles;

    public PlainCosine(Taxonomy taxonomy, String model) {
        this.profiles = TagProfiles.of(taxonomy, model);
    }

    public List<String> tagIds() {
        List<String> ids = new ArrayList<>();
        profiles.tags.forEach(t -> ids.add(t.id()));
        return ids;
    }

    /** Cosine similarity of the vector to every tag, in the order of {@link #tagIds()}. */
    public double[] similarities(float[] vector) {
        double[] sims = new double[profiles.vectors.length];
        for (int t = 0; t < sims.length; t++) {
            sims[t] = Vectors.dot(vector, profiles.vectors[t]);
        }
        return sims;
    }
}
