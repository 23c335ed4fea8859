package io.tagstream.udfs.graph;

import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.udfs.taxonomy.TagRule;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one {@link TaxonomyCommand} to a graph. Either the whole command applies and a new graph
 * with the next version comes back, or an {@link InvalidCommandException} says why not and the
 * graph is untouched.
 */
public final class TaxonomyChange {
    private TaxonomyChange() {}

    public static KnowledgeGraph apply(KnowledgeGraph graph, TaxonomyCommand command) throws InvalidCommandException {
        Draft draft = new Draft(graph);
        Map<String, String> attrs = command.attributes();
        try {
            switch (command.command()) {
                case ADD_TAG -> draft.addTag(command.tag(), attrs);
                case UPDATE_TAG -> draft.updateTag(existing(graph, command.tag()), attrs);
                case ADD_ALIAS -> draft.addAlias(existing(graph, command.tag()), required(attrs, "alias"));
                case MERGE -> draft.merge(existing(graph, command.tag()), existing(graph, command.target()));
                case RENAME -> draft.rename(existing(graph, command.tag()), command.target(), attrs);
                case ADD_IMPLICATION -> draft.addImplication(existing(graph, command.tag()), existing(graph, command.target()));
                case ADD_CONFLICT -> draft.addConflict(existing(graph, command.tag()), existing(graph, command.target()));
                case BLOCK_TAG -> draft.profiles.put(existing(graph, command.tag()),
                        graph.profile(command.tag()).withStatus(TagStatus.BLOCKED));
                case SET_POLICY -> {
                    if (command.tenant() == null) {
                        throw new InvalidCommandException("SET_POLICY needs a tenant");
                    }
                    draft.policies.put(command.tenant(), graph.policy(command.tenant()).with(attrs));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException(e.getMessage());
        }
        KnowledgeGraph next = draft.build();
        Optional<String> problem = next.inconsistency();
        if (problem.isPresent()) {
            throw new InvalidCommandException(command.command() + " refused: " + problem.get());
        }
        return next;
    }

    /** The id of a tag that exists and has not been merged away. */
    private static String existing(KnowledgeGraph graph, String id) throws InvalidCommandException {
        if (id == null || graph.taxonomy().tag(id).isEmpty()) {
            throw new InvalidCommandException("unknown tag '" + id + "'");
        }
        if (graph.mergedInto().containsKey(id)) {
            throw new InvalidCommandException("tag '" + id + "' was merged into '" + graph.mergedInto().get(id) + "'");
        }
        return id;
    }

    private static String required(Map<String, String> attrs, String key) throws InvalidCommandException {
        String value = attrs.get(key);
        if (value == null || value.isBlank()) {
            throw new InvalidCommandException("attribute '" + key + "' is required");
        }
        return value.trim();
    }

    /** A mutable copy of a graph's parts that becomes the next graph. */
    private static final class Draft {
        final KnowledgeGraph base;
        final Map<String, TaxonomyTag> tags;
        final Map<String, TagProfile> profiles;
        final Map<String, Set<String>> implies;
        final Map<String, Set<String>> conflicts;
        final Map<String, String> broader;
        final Map<String, Set<String>> related;
        final Map<String, String> mergedInto;
        final Map<String, TenantPolicy> policies;

        Draft(KnowledgeGraph graph) {
            base = graph;
            tags = new LinkedHashMap<>();
            graph.taxonomy().tags().forEach(t -> tags.put(t.id(), t));
            profiles = new HashMap<>(graph.profiles());
            implies = deepCopy(graph.implications());
            conflicts = deepCopy(graph.conflicts());
            broader = new HashMap<>(graph.broader());
            related = deepCopy(graph.related());
            mergedInto = new HashMap<>(graph.mergedInto());
            policies = new HashMap<>(graph.policies());
        }

        void addTag(String id, Map<String, String> attrs) throws InvalidCommandException {
            if (id == null || id.isBlank()) {
                throw new InvalidCommandException("ADD_TAG needs a tag id");
            }
            if (tags.containsKey(id)) {
                throw new InvalidCommandException("tag '" + id + "' exists already");
            }
            unclaimed(id);
            unclaimed(required(attrs, "label"));
            for (String alias : aliases(attrs)) {
                unclaimed(alias);
            }
            String dimension = required(attrs, "dimension");
            if (base.taxonomy().dimensions().stream().noneMatch(d -> d.id().equals(dimension))) {
                throw new InvalidCommandException("unknown dimension '" + dimension + "'");
            }
            tags.put(id, new TaxonomyTag(id, dimension, required(attrs, "label"), attrs.get("description"),
                    aliases(attrs)));
            profiles.put(id, profile(TagProfile.DEFAULT, attrs));
        }

        void updateTag(String id, Map<String, String> attrs) throws InvalidCommandException {
            TaxonomyTag tag = tags.get(id);
            tags.put(id, new TaxonomyTag(id, tag.dimension(), attrs.getOrDefault("label", tag.label()),
                    attrs.getOrDefault("description", tag.description()), tag.aliases()));
            profiles.put(id, profile(base.profile(id), attrs));
            if (attrs.containsKey("broader")) {
                broader.put(id, existing(base, attrs.get("broader")));
            }
        }

        void addAlias(String id, String alias) throws InvalidCommandException {
            Optional<TaxonomyTag> current = base.canonical(alias);
            if (current.isPresent() && !current.get().id().equals(id)) {
                throw new InvalidCommandException(
                        "'" + alias + "' already names tag '" + current.get().id() + "'");
            }
            TaxonomyTag tag = tags.get(id);
            List<String> aliases = new ArrayList<>(tag.aliases());
            if (!aliases.contains(alias)) {
                aliases.add(alias);
            }
            tags.put(id, new TaxonomyTag(id, tag.dimension(), tag.label(), tag.description(), aliases));
        }

        /** The source lives on as a merged tag whose names lead to the target. */
        void merge(String source, String target) throws InvalidCommandException {
            if (source.equals(target)) {
                throw new InvalidCommandException("cannot merge '" + source + "' into itself");
            }
            mergedInto.put(source, target);
            profiles.put(source, base.profile(source).withStatus(TagStatus.MERGED));
            // Tags that implied the source now imply the target.
            for (Set<String> implied : implies.values()) {
                if (implied.remove(source)) {
                    implied.add(target);
                }
            }
            Set<String> ownImplication = implies.get(target);
            if (ownImplication != null) {
                ownImplication.remove(target);
            }
            // Relations of the source carry over to the target, never onto itself.
            for (String implied : implies.getOrDefault(source, Set.of())) {
                if (!implied.equals(target)) {
                    implies.computeIfAbsent(target, k -> new HashSet<>()).add(implied);
                }
            }
            for (String other : Set.copyOf(conflicts.getOrDefault(source, Set.of()))) {
                if (!other.equals(target)) {
                    link(conflicts, target, other);
                }
            }
        }

        void rename(String source, String newId, Map<String, String> attrs) throws InvalidCommandException {
            if (newId == null || newId.isBlank()) {
                throw new InvalidCommandException("RENAME needs a target id");
            }
            if (tags.containsKey(newId)) {
                throw new InvalidCommandException("tag '" + newId + "' exists already; use MERGE");
            }
            unclaimed(newId);
            if (attrs.containsKey("label")) {
                unclaimed(attrs.get("label"));
            }
            TaxonomyTag old = tags.get(source);
            tags.put(newId, new TaxonomyTag(newId, old.dimension(), attrs.getOrDefault("label", old.label()),
                    old.description(), List.of()));
            profiles.put(newId, base.profile(source));
            merge(source, newId);
        }

        void addImplication(String tag, String implied) throws InvalidCommandException {
            if (tag.equals(implied)) {
                throw new InvalidCommandException("a tag cannot imply itself");
            }
            if (conflicts.getOrDefault(tag, Set.of()).contains(implied)) {
                throw new InvalidCommandException("'" + tag + "' conflicts with '" + implied + "'; it cannot imply it");
            }
            implies.computeIfAbsent(tag, k -> new HashSet<>()).add(implied);
        }

        void addConflict(String a, String b) throws InvalidCommandException {
            if (a.equals(b)) {
                throw new InvalidCommandException("a tag cannot conflict with itself");
            }
            if (base.impliedBy(a).contains(b) || base.impliedBy(b).contains(a)) {
                throw new InvalidCommandException("'" + a + "' and '" + b + "' imply one another; they cannot conflict");
            }
            link(conflicts, a, b);
        }

        /** A new id, label or alias must not be a name some tag already answers to. */
        void unclaimed(String name) throws InvalidCommandException {
            Optional<TaxonomyTag> owner = base.canonical(name);
            if (owner.isPresent()) {
                throw new InvalidCommandException("'" + name + "' already names tag '" + owner.get().id() + "'");
            }
        }

        KnowledgeGraph build() {
            // A keyword rule goes with its tag: when the tag is deleted, so is the rule.
            List<TagRule> rules = base.taxonomy().rules().stream().filter(rule -> tags.containsKey(rule.tag())).toList();
            Taxonomy taxonomy = new Taxonomy(base.taxonomy().version(), base.taxonomy().dimensions(), tags.values(), rules);
            return new KnowledgeGraph(taxonomy, profiles, implies, conflicts, broader, related, mergedInto, policies,
                    base.baseVersion(), base.changes() + 1);
        }

        private static TagProfile profile(TagProfile current, Map<String, String> attrs) {
            NsfwLevel nsfw = attrs.containsKey("nsfw_level") ? NsfwLevel.parse(attrs.get("nsfw_level")) : current.nsfwLevel();
            boolean sensitive = attrs.containsKey("sensitive") ? Boolean.parseBoolean(attrs.get("sensitive")) : current.sensitive();
            return new TagProfile(current.status(), nsfw, sensitive);
        }

        private static List<String> aliases(Map<String, String> attrs) {
            List<String> aliases = new ArrayList<>();
            for (String alias : attrs.getOrDefault("aliases", "").split(",")) {
                if (!alias.isBlank()) {
                    aliases.add(alias.trim());
                }
            }
            return aliases;
        }

        private static void link(Map<String, Set<String>> symmetric, String a, String b) {
            symmetric.computeIfAbsent(a, k -> new HashSet<>()).add(b);
            symmetric.computeIfAbsent(b, k -> new HashSet<>()).add(a);
        }

        private static Map<String, Set<String>> deepCopy(Map<String, Set<String>> map) {
            Map<String, Set<String>> copy = new HashMap<>();
            map.forEach((k, v) -> copy.put(k, new HashSet<>(v)));
            return copy;
        }
    }
}
