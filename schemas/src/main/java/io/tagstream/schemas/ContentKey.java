package io.tagstream.schemas;

/**
 * The one way a (tenant, content) pair becomes a key: Kafka record keys and Flink keys. Document ids
 * in Elasticsearch have a length limit and come from {@code DocumentIds} (sinks).
 */
public final class ContentKey {
    private ContentKey() {}

    /** Tenant ids cannot contain '/', so the key splits back unambiguously. */
    public static String of(String tenant, String contentId) {
        return tenant + "/" + contentId;
    }
}
