package io.tagstream.sinks.elasticsearch;

import io.tagstream.schemas.TagKey;
import io.tagstream.schemas.TagStat;
import io.tagstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Turns each tag stat into the tag's document in the {@code tags} index: one document per tenant
 * and tag, its source the stat's JSON, versioned by the stat's version so the newest stays.
 */
public final class TagStatDocuments implements ElementConverter<TagStat, IndexAction> {
    private static final long serialVersionUID = 1L;
    /** Elasticsearch refuses longer document ids. */
    private static final int MAX_ID_BYTES = 512;

    private final String index;

    public TagStatDocuments(String index) {
        this.index = index;
    }

    @Override
    public IndexAction apply(TagStat stat, SinkWriter.Context context) {
        return new IndexAction(index, id(stat.tenant(), stat.tag()), stat.version(), Json.toString(stat));
    }

    /**
     * {@code tenant/tag}; for a tag too long for an id (a free-text user tag, say), {@code tenant/}
     * and a name-based UUID of the tag. Search by the {@code tag} field, never by id.
     */
    public static String id(String tenant, String tag) {
        String id = TagKey.of(tenant, tag);
        if (id.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES) {
            return id;
        }
        return TagKey.of(tenant, UUID.nameUUIDFromBytes(tag.getBytes(StandardCharsets.UTF_8)).toString());
    }
}
