package io.tagstream.udfs.taxonomy;

import java.util.ArrayList;
import java.util.List;

/** One tag of the taxonomy with the surface forms it is known by. */
public record TaxonomyTag(String id, String dimension, String label, String description, List<String> aliases)
        implements java.io.Serializable {

    public TaxonomyTag {
        aliases = aliases == null ? new ArrayList<>() : new ArrayList<>(aliases);
    }
}
