package io.tagstream.udfs.content;

import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One new tag version of one content: the tag events that lead to it and the tag set it leaves.
 *
 * @param current the content's tags after this change set, by tag id
 * @param deleted whether the content itself was deleted
 * @param qualityScore the validator's score of the tag set (0–100), or -1 where none was computed
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record TagChangeSet(
        String tenant,
        String contentId,
        long contentVersion,
        long tagVersion,
        boolean deleted,
        Instant occurredAt,
        List<TagEvent> events,
        List<TagAssignment> current,
        int qualityScore) {

    public TagChangeSet {
        events = events == null ? new ArrayList<>() : new ArrayList<>(events);
        current = current == null ? new ArrayList<>() : new ArrayList<>(current);
    }
}
