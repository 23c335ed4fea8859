package io.tagstream.sinks.elasticsearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Turns each tag change set into the content's document in the {@code contents} index: one
 * document per tenant and content, id {@code tenant/content} (hashed when too long: {@link DocumentIds}),
 * versioned by tag version.
 */
public final class ContentDocuments implements ElementConverter<TagChangeSet, IndexAction> {
    private static final long serialVersionUID = 1L;

    /**
     * The version of an erased content's document: above any tag version a content can reach, so
     * no replay or re-tag can overwrite it ({@code version_type=external_gte}).
     */
    public static final long ERASED_VERSION = 1_000_000_000_000_000_000L;

    private final String index;

    public ContentDocuments(String index) {
        this.index = index;
    }

    @Override
    public IndexAction apply(TagChangeSet changes, SinkWriter.Context context) {
        return new IndexAction(
                index, DocumentIds.of(changes.tenant(), changes.contentId()), changes.tagVersion(), document(changes));
    }

    /** The document that replaces an erased content's: no tags, no reasons, marked deleted. */
    public IndexAction erased(String tenant, String contentId, long lastTagVersion, Instant erasedAt) {
        TagChangeSet nothing = new TagChangeSet(tenant, contentId, 0, lastTagVersion, true, erasedAt, List.of(), List.of(), -1);
        return new IndexAction(index, DocumentIds.of(tenant, contentId), ERASED_VERSION, document(nothing));
    }

    static String document(TagChangeSet changes) {
        ObjectNode doc = Json.mapper().createObjectNode()
                .put("tenant", changes.tenant())
                .put("content_id", changes.contentId())
                .put("content_version", changes.contentVersion())
                .put("tag_version", changes.tagVersion())
                .put("deleted", changes.deleted())
                .put("occurred_at", changes.occurredAt().toString())
                .put("updated_at", Instant.now(Clock.systemUTC()).toString());
        if (changes.qualityScore() >= 0) {
            doc.put("quality_score", changes.qualityScore());
        }
        ArrayNode ids = doc.putArray("tag_ids");
        ArrayNode tags = doc.putArray("tags");
        for (TagAssignment tag : changes.current()) {
            ids.add(tag.tag());
            tags.addObject()
                    .put("tag", tag.tag())
                    .put("dimension", tag.dimension())
                    .put("confidence", tag.confidence())
                    .put("source", tag.source().wireName())
                    .put("reason", tag.reason());
        }
        return doc.toString();
    }
}
