package io.tagstream.schemas;

/** The one way a (tenant, content) pair becomes a key: Kafka record keys, Flink keys, document ids. */
public final class ContentKey {
    private ContentKey() {}

    /** Tenant ids cannot contain '/', so the key splits back unambiguously. */
    public static String of(String tenant, String contentId) {
        return tenant + "/" + contentId;
    }
}
