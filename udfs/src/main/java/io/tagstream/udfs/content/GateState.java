package io.tagstream.udfs.content;

import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the version gate remembers of one content: the last accepted version and the ids of the
 * last few accepted events (oldest first).
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record GateState(long lastVersion, List<String> recentEventIds) {

    public GateState {
        recentEventIds = recentEventIds == null ? new ArrayList<>() : new ArrayList<>(recentEventIds);
    }
}
