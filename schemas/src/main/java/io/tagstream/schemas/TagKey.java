package io.tagstream.schemas;

/**
 * The one way a (tenant, tag) pair becomes a key: the weight operator's Flink key and {@code tag.stats}
 * record keys ({@code tags} document ids come from {@code DocumentIds}, sinks).
 */
public final class TagKey {
    private TagKey() {}

    /** Tenant ids cannot contain '/' (tags may), so the key splits back at its first '/'. */
    public static String of(String tenant, String tag) {
        return tenant + "/" + tag;
    }

    public static String tenant(String key) {
        return key.substring(0, separator(key));
    }

    public static String tag(String key) {
        return key.substring(separator(key) + 1);
    }

    private static int separator(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a tenant/tag key: " + key);
        }
        return slash;
    }
}
