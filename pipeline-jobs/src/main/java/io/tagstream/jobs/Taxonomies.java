package io.tagstream.jobs;

import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Loads the taxonomy the configuration names, or the bundled sample when it names none. */
public final class Taxonomies {
    public static final String BUNDLED = "taxonomy/sample-taxonomy.json";

    private Taxonomies() {}

    public static Taxonomy load(TagstreamConfig config) throws IOException {
        String file = config.get("taxonomy.file");
        if (!file.isEmpty()) {
            return TaxonomyFile.read(Path.of(file));
        }
        try (InputStream in = Taxonomies.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IOException("the bundled taxonomy " + BUNDLED + " is missing from the classpath");
            }
            return TaxonomyFile.read(in, BUNDLED);
        }
    }
}
