package io.tagstream.udfs.content;

import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import io.tagstream.udfs.tagging.TagAssignment;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything kept per content: its current tags, the users' standing verdicts, and the versions
 * reached. One small value per content, read and written whole.
 *
 * @param tagVersion the last change set's version (0: none yet)
 * @param contentVersion the last content version applied
 * @param exists whether a content event has arrived (feedback before that is held back)
 * @param qualityScore the validator's score of the last tagged version (-1 before any)
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record ContentTagState(
        long tagVersion,
        long contentVersion,
        boolean exists,
        int qualityScore,
        Map<String, TagAssignment> tags,
        Map<String, TagVerdict> verdicts) {

    public static final ContentTagState EMPTY = new ContentTagState(0, 0, false, -1, Map.of(), Map.of());

    public ContentTagState {
        tags = tags == null ? new HashMap<>() : new HashMap<>(tags);
        verdicts = verdicts == null ? new HashMap<>() : new HashMap<>(verdicts);
    }
}
