package io.tagstream.udfs.graph;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tenant's safety and quality policy.
 *
 * @param maxNsfw the highest rating a tag may have to be kept ({@code blocked} tags never are)
 * @param strictConflicts strict validation: a conflict costs 25 points instead of 10
 * @param blockedTags tags this tenant never wants, on top of the graph's blocked tags
 */
public record TenantPolicy(NsfwLevel maxNsfw, boolean strictConflicts, Set<String> blockedTags) implements Serializable {

    public static final TenantPolicy DEFAULT = new TenantPolicy(NsfwLevel.ALL_AGES, false, Set.of());

    public TenantPolicy {
        if (maxNsfw == NsfwLevel.BLOCKED) {
            throw new IllegalArgumentException("max_nsfw cannot be 'blocked': blocked tags are never allowed");
        }
        blockedTags = Set.copyOf(blockedTags);
    }

    /**
     * Reads a {@code SET_POLICY} command's attributes: {@code max_nsfw}, {@code strict_conflicts}
     * (true/false) and {@code blocked_tags} (comma-separated); unnamed settings keep their value.
     */
    public TenantPolicy with(Map<String, String> attributes) {
        NsfwLevel nsfw = attributes.containsKey("max_nsfw") ? NsfwLevel.parse(attributes.get("max_nsfw")) : maxNsfw;
        boolean strict = strictConflicts;
        if (attributes.containsKey("strict_conflicts")) {
            String value = attributes.get("strict_conflicts").trim();
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("strict_conflicts must be true or false, was '" + value + "'");
            }
            strict = Boolean.parseBoolean(value);
        }
        Set<String> blocked = new TreeSet<>(blockedTags);
        if (attributes.containsKey("blocked_tags")) {
            blocked.clear();
            for (String tag : attributes.get("blocked_tags").split(",")) {
                if (!tag.isBlank()) {
                    blocked.add(tag.trim());
                }
            }
        }
        for (String key : attributes.keySet()) {
            if (!Set.of("max_nsfw", "strict_conflicts", "blocked_tags").contains(key)) {
                throw new IllegalArgumentException("unknown policy setting '" + key
                        + "' (known: max_nsfw, strict_conflicts, blocked_tags)");
            }
        }
        return new TenantPolicy(nsfw, strict, blocked);
    }
}
