package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A content item arriving on {@code content.events}; see {@code schemas/content-event.schema.json}.
 *
 * <p>Collections are copied into plain {@link ArrayList}/{@link HashMap}s so that Flink's
 * fallback serializer can rebuild them; treat them as read-only.
 *
 * @param version per-content, monotonic; {@code null} when the producer does not version its
 *     content (the version gate then numbers events in arrival order)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@TypeInfo(RecordTypeInfoFactory.class)
public record ContentEvent(
        String eventId,
        String tenant,
        String contentId,
        ContentOp op,
        Long version,
        Instant occurredAt,
        String title,
        String body,
        String lang,
        String source,
        Map<String, String> metadata,
        List<String> userTags) {

    public ContentEvent {
        metadata = metadata == null ? new HashMap<>() : new HashMap<>(metadata);
        userTags = userTags == null ? new ArrayList<>() : new ArrayList<>(userTags);
    }

    /** The Kafka key and Flink key of a content: tenant and content id. */
    public String contentKey() {
        return ContentKey.of(tenant, contentId);
    }

    public ContentEvent withVersion(long newVersion) {
        return new ContentEvent(eventId, tenant, contentId, op, newVersion, occurredAt, title,
                body, lang, source, metadata, userTags);
    }
}
