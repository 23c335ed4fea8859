package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One thing the re-tag job knows about a content, keyed by {@code contentKey}: a content event as
 * {@code content.events} stores it (with its position there), one of its tag events from the log,
 * or the fact that it was erased. Exactly one of the three is set.
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record RetagInput(String contentKey, ContentEvent stored, int partition, long offset, TagEvent logged,
        boolean erased) {

    public static RetagInput stored(ContentEvent event, int partition, long offset) {
        return new RetagInput(event.contentKey(), event, partition, offset, null, false);
    }

    public static RetagInput logged(TagEvent event) {
        return new RetagInput(event.contentKey(), null, 0, 0, event, false);
    }

    public static RetagInput erased(String contentKey) {
        return new RetagInput(contentKey, null, 0, 0, null, true);
    }
}
