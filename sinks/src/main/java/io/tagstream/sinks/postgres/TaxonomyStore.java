package io.tagstream.sinks.postgres;

import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.NsfwLevel;
import io.tagstream.udfs.graph.TagProfile;
import io.tagstream.udfs.graph.TagStatus;
import io.tagstream.udfs.graph.TenantPolicy;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The knowledge graph in PostgreSQL: {@link #save} replaces the stored graph in one transaction,
 * {@link #load} reads it back with the version it was saved under.
 */
public final class TaxonomyStore {
    private TaxonomyStore() {}

    public static void save(Connection c, KnowledgeGraph graph, String source) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM taxonomy_related; DELETE FROM taxonomy_conflicts; DELETE FROM taxonomy_implications;"
                    + " DELETE FROM taxonomy_aliases; DELETE FROM taxonomy_tags; DELETE FROM taxonomy_dimensions;"
                    + " DELETE FROM tenant_policies");
            Taxonomy taxonomy = graph.taxonomy();
            batch(c, "INSERT INTO taxonomy_dimensions (dimension, label, description) VALUES (?, ?, ?)",
                    taxonomy.dimensions(), (ps, d) -> {
                        ps.setString(1, d.id());
                        ps.setString(2, d.label());
                        ps.setString(3, d.description());
                    });
            batch(c, "INSERT INTO taxonomy_tags (tag, dimension, label, description, status, nsfw_level, sensitive)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", taxonomy.tags(), (ps, t) -> {
                        TagProfile p = graph.profile(t.id());
                        ps.setString(1, t.id());
                        ps.setString(2, t.dimension());
                        ps.setString(3, t.label());
                        ps.setString(4, t.description());
                        ps.setString(5, p.status().name().toLowerCase(Locale.ROOT));
                        ps.setString(6, p.nsfwLevel().wireName());
                        ps.setBoolean(7, p.sensitive());
                    });
            List<String[]> aliases = new ArrayList<>();
            List<String[]> implications = new ArrayList<>();
            List<String[]> conflicts = new ArrayList<>();
            List<String[]> related = new ArrayList<>();
            List<String[]> links = new ArrayList<>();
            for (TaxonomyTag t : taxonomy.tags()) {
                new TreeSet<>(t.aliases()).forEach(a -> aliases.add(new String[] {a, t.id()}));
                graph.directlyImplied(t.id()).forEach(i -> implications.add(new String[] {t.id(), i}));
                graph.conflictsOf(t.id()).stream().filter(o -> t.id().compareTo(o) < 0)
                        .forEach(o -> conflicts.add(new String[] {t.id(), o}));
                graph.relatedTo(t.id()).forEach(r -> related.add(new String[] {t.id(), r}));
                links.add(new String[] {graph.broaderOf(t.id()).orElse(null), graph.merges().get(t.id()), t.id()});
            }
            batch(c, "INSERT INTO taxonomy_aliases (alias, tag) VALUES (?, ?)", aliases, TaxonomyStore::pair);
            batch(c, "INSERT INTO taxonomy_implications (tag, implied) VALUES (?, ?)", implications, TaxonomyStore::pair);
            batch(c, "INSERT INTO taxonomy_conflicts (tag_a, tag_b) VALUES (?, ?)", conflicts, TaxonomyStore::pair);
            batch(c, "INSERT INTO taxonomy_related (tag, related) VALUES (?, ?)", related, TaxonomyStore::pair);
            batch(c, "UPDATE taxonomy_tags SET broader = ?, merged_into = ? WHERE tag = ?", links, (ps, l) -> {
                ps.setString(1, l[0]);
                ps.setString(2, l[1]);
                ps.setString(3, l[2]);
            });
            batch(c, "INSERT INTO tenant_policies (tenant, max_nsfw, strict_conflicts, blocked_tags) VALUES (?, ?, ?, ?)",
                    graph.tenantPolicies().entrySet(), (ps, e) -> {
                        ps.setString(1, e.getKey());
                        ps.setString(2, e.getValue().maxNsfw().wireName());
                        ps.setBoolean(3, e.getValue().strictConflicts());
                        ps.setArray(4, c.createArrayOf("text", new TreeSet<>(e.getValue().blockedTags()).toArray()));
                    });
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO taxonomy_versions (taxonomy_version, source, tag_count)"
                    + " VALUES (?, ?, ?) ON CONFLICT (taxonomy_version) DO UPDATE SET source = EXCLUDED.source,"
                    + " loaded_at = now()")) {
                ps.setString(1, graph.version());
                ps.setString(2, source);
                ps.setInt(3, taxonomy.tags().size());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The stored graph, or empty when none was ever saved. */
    public static Optional<KnowledgeGraph> load(Connection c) throws SQLException {
        List<String[]> version = SqlRows.query(c,
                "SELECT taxonomy_version FROM taxonomy_versions ORDER BY loaded_at DESC, taxonomy_version LIMIT 1");
        if (version.isEmpty()) {
            return Optional.empty();
        }
        List<Dimension> dimensions = new ArrayList<>();
        for (String[] d : SqlRows.query(c, "SELECT dimension, label, description FROM taxonomy_dimensions ORDER BY dimension")) {
            dimensions.add(new Dimension(d[0], d[1], d[2]));
        }
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        for (String[] a : SqlRows.query(c, "SELECT tag, alias FROM taxonomy_aliases ORDER BY tag, alias")) {
            aliases.computeIfAbsent(a[0], k -> new ArrayList<>()).add(a[1]);
        }
        List<String[]> tagRows = SqlRows.query(c, "SELECT tag, dimension, label, description, status, nsfw_level,"
                + " sensitive::text, broader, merged_into FROM taxonomy_tags ORDER BY tag");
        List<TaxonomyTag> tags = new ArrayList<>();
        for (String[] t : tagRows) {
            tags.add(new TaxonomyTag(t[0], t[1], t[2], t[3], aliases.getOrDefault(t[0], List.of())));
        }
        KnowledgeGraph.Builder graph = KnowledgeGraph.builder(new Taxonomy(version.get(0)[0], dimensions, tags));
        for (String[] t : tagRows) {
            graph.profile(t[0], new TagProfile(TagStatus.valueOf(t[4].toUpperCase(Locale.ROOT)), NsfwLevel.parse(t[5]),
                    Boolean.parseBoolean(t[6])));
            if (t[7] != null) {
                graph.broader(t[0], t[7]);
            }
            if (t[8] != null) {
                graph.merged(t[0], t[8]);
            }
        }
        SqlRows.query(c, "SELECT tag, implied FROM taxonomy_implications").forEach(r -> graph.implies(r[0], r[1]));
        SqlRows.query(c, "SELECT tag_a, tag_b FROM taxonomy_conflicts").forEach(r -> graph.conflict(r[0], r[1]));
        SqlRows.query(c, "SELECT tag, related FROM taxonomy_related").forEach(r -> graph.related(r[0], r[1]));
        try (PreparedStatement q = c.prepareStatement("SELECT tenant, max_nsfw, strict_conflicts, blocked_tags FROM tenant_policies");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Array blocked = rs.getArray(4);
                graph.policy(rs.getString(1), new TenantPolicy(NsfwLevel.parse(rs.getString(2)), rs.getBoolean(3),
                        Set.of((String[]) blocked.getArray())));
            }
        }
        return Optional.of(graph.build());
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T value) throws SQLException;
    }

    private static <T> void batch(Connection c, String sql, Iterable<T> values, Binder<T> binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T value : values) {
                binder.bind(ps, value);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void pair(PreparedStatement ps, String[] pair) throws SQLException {
        ps.setString(1, pair[0]);
        ps.setString(2, pair[1]);
    }
}
