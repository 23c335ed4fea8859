package io.tagstream.sinks.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The one way a document id is made, for the contents index ({@code tenant/content_id}) and the
 * tags index ({@code tenant/tag}): writers and every reader of a document by id ask here.
 *
 * <p>Elasticsearch refuses ids over {@value #MAX_BYTES} bytes of UTF-8, and a key can be longer: a
 * content id may have 512 characters (a 200-character Chinese id alone is 600 bytes), a free-text
 * tag any length. Such a key becomes {@code tenant/} and a name-based UUID of the rest (or, were
 * the tenant itself too long for that, the UUID of the whole key). Keys that fit are kept as
 * they are, so ids written before stay valid. Search by the {@code content_id} or {@code tag}
 * field, never by parsing an id.
 */
public final class DocumentIds {
    /** Elasticsearch refuses longer document ids. */
    static final int MAX_BYTES = 512;

    private DocumentIds() {}

    /** The document id of {@code key} of {@code tenant}: {@code tenant/key} if it fits, else hashed. */
    public static String of(String tenant, String key) {
        String id = tenant + "/" + key;
        if (fits(id)) {
            return id;
        }
        String hashed = tenant + "/" + uuid(key);
        return fits(hashed) ? hashed : uuid(id);
    }

    private static boolean fits(String id) {
        return id.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    private static String uuid(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
