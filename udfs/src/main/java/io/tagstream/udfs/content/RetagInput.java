package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the re-tag job knows about a content, keyed by {@code contentKey}: one of its events as
 * {@code content.events} stores it, with its position there, or the fact that it was erased.
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record RetagInput(String contentKey, ContentEvent stored, int partition, long offset, boolean erased) {

    public static RetagInput stored(ContentEvent event, int partition, long offset) {
        return new RetagInput(event.contentKey(), event, partition, offset, false);
    }

    public static RetagInput erased(String contentKey) {
        return new RetagInput(contentKey, null, 0, 0, true);
    }
}
