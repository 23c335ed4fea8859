package io.tagstream.udfs.content;

import io.tagstream.schemas.TagAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Tag event ids are name-based UUIDs of what the event is, never random, so that reprocessing
 * the same input yields the same ids and every sink can recognise a replay.
 */
public final class TagEventIds {
    private TagEventIds() {}

    public static String of(String tenant, String contentId, long tagVersion, String tag, TagAction action) {
        // The input contract (FieldLimits) keeps NUL out of tenants, ids and tags, so the
        // concatenation is unambiguous.
        String name = String.join("\u0000", tenant, contentId, Long.toString(tagVersion), tag, action.name());
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
