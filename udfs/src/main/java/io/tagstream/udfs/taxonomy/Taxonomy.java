package io.tagstream.udfs.taxonomy;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The dimensions and tags the taggers may assign, with a version that identifies its content.
 * Immutable once built.
 */
public final class Taxonomy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String version;
    private final Map<String, Dimension> dimensions;
    private final Map<String, TaxonomyTag> tags;
    private final Map<String, String> tagBySurfaceForm;
    private final List<TagRule> rules;

    public Taxonomy(String version, Collection<Dimension> dimensions, Collection<TaxonomyTag> tags) {
        this(version, dimensions, tags, List.of());
    }

    public Taxonomy(String version, Collection<Dimension> dimensions, Collection<TaxonomyTag> tags, List<TagRule> rules) {
        this.version = version;
        Map<String, Dimension> dims = new LinkedHashMap<>();
        for (Dimension d : dimensions) {
            if (dims.put(d.id(), d) != null) {
                throw new IllegalArgumentException("dimension '" + d.id() + "' is defined twice");
            }
        }
        Map<String, TaxonomyTag> byId = new LinkedHashMap<>();
        Map<String, String> bySurface = new LinkedHashMap<>();
        for (TaxonomyTag t : tags) {
            if (!dims.containsKey(t.dimension())) {
                throw new IllegalArgumentException(
                        "tag '" + t.id() + "' names dimension '" + t.dimension() + "', which is not defined");
            }
            if (byId.put(t.id(), t) != null) {
                throw new IllegalArgumentException("tag '" + t.id() + "' is defined twice");
            }
        }
        // Ids win over labels and aliases of other tags, labels over aliases.
        for (TaxonomyTag t : byId.values()) {
            bySurface.put(normalize(t.id()), t.id());
        }
        for (TaxonomyTag t : byId.values()) {
            bySurface.putIfAbsent(normalize(t.label()), t.id());
        }
        for (TaxonomyTag t : byId.values()) {
            for (String alias : t.aliases()) {
                bySurface.putIfAbsent(normalize(alias), t.id());
            }
        }
        this.dimensions = Collections.unmodifiableMap(dims);
        this.tags = Collections.unmodifiableMap(byId);
        this.tagBySurfaceForm = Collections.unmodifiableMap(bySurface);
        for (TagRule rule : rules) {
            if (!byId.containsKey(rule.tag())) {
                throw new IllegalArgumentException("rule names tag '" + rule.tag() + "', which is not defined");
            }
        }
        this.rules = List.copyOf(rules);
    }

    /** The one text normalisation for matching: Unicode NFKC (full-width → half-width), lower case. */
    public static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).trim();
    }

    public String version() {
        return version;
    }

    public Collection<Dimension> dimensions() {
        return dimensions.values();
    }

    public Collection<TaxonomyTag> tags() {
        return tags.values();
    }

    public Optional<TaxonomyTag> tag(String id) {
        return Optional.ofNullable(tags.get(id));
    }

    /** Finds a tag by its id, label or one of its aliases, ignoring case and width. */
    public Optional<TaxonomyTag> resolve(String surfaceForm) {
        String id = tagBySurfaceForm.get(normalize(surfaceForm));
        return id == null ? Optional.empty() : Optional.of(tags.get(id));
    }

    /** The keyword rules ("IF a AND b THEN tag"). */
    public List<TagRule> rules() {
        return rules;
    }
}
