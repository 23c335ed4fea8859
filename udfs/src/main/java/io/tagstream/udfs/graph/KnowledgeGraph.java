package io.tagstream.udfs.graph;

import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The taxonomy as a knowledge graph: tags with their profiles, implications (transitive, cycles
 * are harmless), conflicts (always symmetric), broader and related tags, merges, and per-tenant
 * policies. Immutable: a {@link TaxonomyChange} returns a new graph with the next version.
 */
public final class KnowledgeGraph implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Taxonomy taxonomy;
    private final Map<String, TagProfile> profiles;
    private final Map<String, Set<String>> implies;
    private final Map<String, Set<String>> conflicts;
    private final Map<String, String> broader;
    private final Map<String, Set<String>> related;
    private final Map<String, String> mergedInto;
    private final Map<String, TenantPolicy> policies;
    private final String baseVersion;
    private final int changes;

    KnowledgeGraph(Taxonomy taxonomy, Map<String, TagProfile> profiles, Map<String, Set<String>> implies,
            Map<String, Set<String>> conflicts, Map<String, String> broader, Map<String, Set<String>> related,
            Map<String, String> mergedInto, Map<String, TenantPolicy> policies, String baseVersion, int changes) {
        this.taxonomy = taxonomy;
        this.profiles = freeze(profiles);
        this.implies = freezeSets(implies);
        this.conflicts = freezeSets(conflicts);
        this.broader = freeze(broader);
        this.related = freezeSets(related);
        this.mergedInto = freeze(mergedInto);
        this.policies = freeze(policies);
        this.baseVersion = baseVersion;
        this.changes = changes;
    }

    public static Builder builder(Taxonomy taxonomy) {
        return new Builder(taxonomy);
    }

    /** Builds a graph from stored or imported relations; conflicts and relatedness are made symmetric. */
    public static final class Builder {
        private final Taxonomy taxonomy;
        private final Map<String, TagProfile> profiles = new HashMap<>();
        private final Map<String, Set<String>> implies = new HashMap<>();
        private final Map<String, Set<String>> conflicts = new HashMap<>();
        private final Map<String, String> broader = new HashMap<>();
        private final Map<String, Set<String>> related = new HashMap<>();
        private final Map<String, String> mergedInto = new HashMap<>();
        private final Map<String, TenantPolicy> policies = new HashMap<>();

        private Builder(Taxonomy taxonomy) {
            this.taxonomy = taxonomy;
        }

        public Builder profile(String tag, TagProfile profile) {
            profiles.put(known(tag), profile);
            return this;
        }

        public Builder implies(String tag, String implied) {
            if (known(tag).equals(known(implied))) {
                throw new IllegalArgumentException("tag '" + tag + "' cannot imply itself");
            }
            implies.computeIfAbsent(tag, k -> new java.util.HashSet<>()).add(implied);
            return this;
        }

        public Builder conflict(String a, String b) {
            if (known(a).equals(known(b))) {
                throw new IllegalArgumentException("tag '" + a + "' cannot conflict with itself");
            }
            conflicts.computeIfAbsent(a, k -> new java.util.HashSet<>()).add(b);
            conflicts.computeIfAbsent(b, k -> new java.util.HashSet<>()).add(a);
            return this;
        }

        public Builder broader(String tag, String broaderTag) {
            broader.put(known(tag), known(broaderTag));
            return this;
        }

        public Builder related(String a, String b) {
            related.computeIfAbsent(known(a), k -> new java.util.HashSet<>()).add(known(b));
            related.computeIfAbsent(b, k -> new java.util.HashSet<>()).add(a);
            return this;
        }

        public Builder merged(String tag, String into) {
            mergedInto.put(known(tag), known(into));
            return this;
        }

        public Builder policy(String tenant, TenantPolicy policy) {
            policies.put(tenant, policy);
            return this;
        }

        public KnowledgeGraph build() {
            implies.values().forEach(targets -> targets.forEach(this::known));
            KnowledgeGraph graph = new KnowledgeGraph(taxonomy, profiles, implies, conflicts, broader, related,
                    mergedInto, policies, taxonomy.version(), 0);
            graph.inconsistency().ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            return graph;
        }

        private String known(String tag) {
            if (taxonomy.tag(tag).isEmpty()) {
                throw new IllegalArgumentException("unknown tag '" + tag + "'");
            }
            return tag;
        }
    }

    /** A graph with names only: every tag active, all-ages, unrelated. */
    public static KnowledgeGraph of(Taxonomy taxonomy) {
        return new KnowledgeGraph(taxonomy, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                taxonomy.version(), 0);
    }

    public Taxonomy taxonomy() {
        return taxonomy;
    }

    /** Changes with every applied command: {@code <base version>+<commands applied>}. */
    public String version() {
        return changes == 0 ? baseVersion : baseVersion + "+" + changes;
    }

    String baseVersion() {
        return baseVersion;
    }

    int changes() {
        return changes;
    }

    /**
     * The tag a name stands for now: its id, label or alias, following merges and renames.
     * Empty for names the graph does not know.
     */
    public Optional<TaxonomyTag> canonical(String name) {
        Optional<TaxonomyTag> tag = taxonomy.resolve(name);
        Set<String> seen = new LinkedHashSet<>();
        while (tag.isPresent() && mergedInto.containsKey(tag.get().id()) && seen.add(tag.get().id())) {
            tag = taxonomy.tag(mergedInto.get(tag.get().id()));
        }
        return tag;
    }

    public TagProfile profile(String tag) {
        return profiles.getOrDefault(tag, TagProfile.DEFAULT);
    }

    /**
     * Everything {@code tag} implies, directly or through other tags, by the names the tags have
     * now (merged tags lead to their targets); never the tag itself.
     */
    public Set<String> impliedBy(String tag) {
        Set<String> closure = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(implies.getOrDefault(tag, Set.of()));
        while (!todo.isEmpty()) {
            String next = canonical(todo.pop()).map(TaxonomyTag::id).orElse(null);
            if (next != null && !next.equals(tag) && closure.add(next)) {
                todo.addAll(implies.getOrDefault(next, Set.of()));
            }
        }
        return closure;
    }

    /** The first tag found to imply something it conflicts with, as "tag: a conflicts with b". */
    public Optional<String> inconsistency() {
        for (TaxonomyTag t : taxonomy.tags()) {
            if (mergedInto.containsKey(t.id())) {
                continue;
            }
            Set<String> carried = new TreeSet<>(impliedBy(t.id()));
            carried.add(t.id());
            for (String a : carried) {
                for (String b : conflicts.getOrDefault(a, Set.of())) {
                    if (carried.contains(b)) {
                        return Optional.of("'" + t.id() + "' would carry both '" + a + "' and '" + b
                                + "', which conflict");
                    }
                }
            }
        }
        return Optional.empty();
    }

    public boolean conflict(String a, String b) {
        return conflicts.getOrDefault(a, Set.of()).contains(b);
    }

    public Set<String> conflictsOf(String tag) {
        return conflicts.getOrDefault(tag, Set.of());
    }

    public Optional<String> broaderOf(String tag) {
        return Optional.ofNullable(broader.get(tag));
    }

    public Set<String> relatedTo(String tag) {
        return related.getOrDefault(tag, Set.of());
    }

    public TenantPolicy policy(String tenant) {
        return tenant == null ? TenantPolicy.DEFAULT : policies.getOrDefault(tenant, TenantPolicy.DEFAULT);
    }

    /** Whether the tenant may ever carry the tag: not blocked in the graph, by rating or by policy. */
    public boolean allowed(String tenant, String tag) {
        TagProfile profile = profile(tag);
        TenantPolicy policy = policy(tenant);
        return profile.status() != TagStatus.BLOCKED
                && profile.nsfwLevel() != NsfwLevel.BLOCKED
                && profile.nsfwLevel().compareTo(policy.maxNsfw()) <= 0
                && !policy.blockedTags().contains(tag);
    }

    /** Tenants with a policy of their own, for export. */
    public Map<String, TenantPolicy> tenantPolicies() {
        return policies;
    }

    /** Tags merged or renamed away, and where they lead, for export. */
    public Map<String, String> merges() {
        return mergedInto;
    }

    /** Direct implications only (no closure), for export. */
    public Set<String> directlyImplied(String tag) {
        return implies.getOrDefault(tag, Set.of());
    }

    Map<String, TagProfile> profiles() {
        return profiles;
    }

    Map<String, Set<String>> implications() {
        return implies;
    }

    Map<String, Set<String>> conflicts() {
        return conflicts;
    }

    Map<String, String> broader() {
        return broader;
    }

    Map<String, Set<String>> related() {
        return related;
    }

    Map<String, String> mergedInto() {
        return mergedInto;
    }

    Map<String, TenantPolicy> policies() {
        return policies;
    }

    private static <V> Map<String, V> freeze(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    private static Map<String, Set<String>> freezeSets(Map<String, Set<String>> map) {
        Map<String, Set<String>> copy = new HashMap<>();
        map.forEach((k, v) -> copy.put(k, Collections.unmodifiableSet(new TreeSet<>(v))));
        return freeze(copy);
    }
}
