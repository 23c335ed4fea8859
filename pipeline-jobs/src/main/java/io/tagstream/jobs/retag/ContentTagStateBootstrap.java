package io.tagstream.jobs.retag;

import io.tagstream.udfs.content.ContentTagSnapshot;
import io.tagstream.udfs.flink.ContentTagStateFunction;
import io.tagstream.udfs.tagging.TagAssignment;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/**
 * Writes the tagging job's {@code content-tag-state} for one content into a savepoint, with
 * the operator's own state descriptors, so the job resumes knowing the re-tag's tags and versions.
 */
final class ContentTagStateBootstrap extends KeyedStateBootstrapFunction<String, ContentTagSnapshot> {
    private static final long serialVersionUID = 1L;

    private transient MapState<String, TagAssignment> tags;
    private transient ValueState<Long> tagVersion;

    @Override
    public void open(OpenContext openContext) {
        tags = getRuntimeContext().getMapState(ContentTagStateFunction.tagsState());
        tagVersion = getRuntimeContext().getState(ContentTagStateFunction.tagVersionState());
    }

    @Override
    public void processElement(ContentTagSnapshot snapshot, Context ctx) throws Exception {
        for (TagAssignment tag : snapshot.tags()) {
            tags.put(tag.tag(), tag);
        }
        tagVersion.update(snapshot.tagVersion());
    }
}
