package io.tagstream.jobs;

import io.tagstream.sinks.postgres.TaxonomyStore;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.KnowledgeGraphFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Where the job's knowledge graph comes from: the file named by {@code taxonomy.file} when set,
 * else the graph stored in PostgreSQL ({@code ./tagstream taxonomy import}), else the bundled
 * sample.
 */
public final class Taxonomies {
    public static final String BUNDLED = "taxonomy/sample-taxonomy.json";

    private Taxonomies() {}

    public static KnowledgeGraph load(TagstreamConfig config) throws IOException {
        String file = config.get("taxonomy.file");
        if (!file.isEmpty()) {
            return KnowledgeGraphFile.read(Path.of(file));
        }
        try (Connection c = config.postgres().open()) {
            Optional<KnowledgeGraph> stored = TaxonomyStore.load(c);
            if (stored.isPresent()) {
                return stored.get();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the taxonomy from PostgreSQL: " + e.getMessage(), e);
        }
        return bundled();
    }

    /** The configured file or the bundled sample, ignoring what PostgreSQL holds. */
    static KnowledgeGraph fromFileOrBundled(TagstreamConfig config) throws IOException {
        String file = config.get("taxonomy.file");
        return file.isEmpty() ? bundled() : KnowledgeGraphFile.read(Path.of(file));
    }

    static KnowledgeGraph bundled() throws IOException {
        return resource(BUNDLED);
    }

    /** A taxonomy shipped on the classpath, in the format its extension names. */
    public static KnowledgeGraph resource(String path) throws IOException {
        try (InputStream in = Taxonomies.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("the bundled taxonomy " + path + " is missing from the classpath");
            }
            return KnowledgeGraphFile.parse(in.readAllBytes(), KnowledgeGraphFile.Format.of(Path.of(path)), path);
        }
    }
}
