package io.tagstream.udfs.content;

import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import io.tagstream.udfs.tagging.TagAssignment;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A content's tags and tag version: what the tagging job's content tag state holds for it. */
@TypeInfo(RecordTypeInfoFactory.class)
public record ContentTagSnapshot(String contentKey, long tagVersion, List<TagAssignment> tags) {

    public ContentTagSnapshot {
        tags = tags == null ? new ArrayList<>() : new ArrayList<>(tags);
    }
}
