package io.tagstream.sinks.elasticsearch;

import io.tagstream.schemas.TagStat;
import io.tagstream.schemas.json.Json;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Turns each tag stat into the tag's document in the {@code tags} index: one document per tenant
 * and tag (id {@code tenant/tag}, hashed when too long: {@link DocumentIds}; search by the
 * {@code tag} field, never by id), its source the stat's JSON, versioned by the stat's version so
 * the newest stays.
 */
public final class TagStatDocuments implements ElementConverter<TagStat, IndexAction> {
    private static final long serialVersionUID = 1L;

    private final String index;

    public TagStatDocuments(String index) {
        this.index = index;
    }

    @Override
    public IndexAction apply(TagStat stat, SinkWriter.Context context) {
        return new IndexAction(index, DocumentIds.of(stat.tenant(), stat.tag()), stat.version(), Json.toString(stat));
    }
}
