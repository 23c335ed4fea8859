package io.tagstream.udfs.content;

import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import io.tagstream.schemas.ContentEvent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A content event with the complete tag set it should now carry. */
@TypeInfo(RecordTypeInfoFactory.class)
public record TaggedContent(ContentEvent event, List<TagAssignment> tags, String taxonomyVersion) {

    public TaggedContent {
        tags = tags == null ? new ArrayList<>() : new ArrayList<>(tags);
    }
}
