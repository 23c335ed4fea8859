package io.tagstream.udfs.flink;

import io.tagstream.udfs.content.ContentTagDiff;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by content: holds each content's current tags and tag version, and emits a
 * {@link TagChangeSet} whenever a new tag set differs from them ({@link ContentTagDiff}).
 */
public class ContentTagStateFunction extends KeyedProcessFunction<String, TaggedContent, TagChangeSet> {
    private static final long serialVersionUID = 1L;

    /** The content's tags by tag id; also written by the re-tag job's state hand-over. */
    public static MapStateDescriptor<String, TagAssignment> tagsState() {
        return new MapStateDescriptor<>("tags", Types.STRING, TypeInformation.of(TagAssignment.class));
    }

    /** The content's tag version. */
    public static ValueStateDescriptor<Long> tagVersionState() {
        return new ValueStateDescriptor<>("tagVersion", Types.LONG);
    }

    private transient MapState<String, TagAssignment> tags;
    private transient ValueState<Long> tagVersion;

    @Override
    public void open(OpenContext openContext) {
        tags = getRuntimeContext().getMapState(tagsState());
        tagVersion = getRuntimeContext().getState(tagVersionState());
    }

    @Override
    public void processElement(TaggedContent next, Context ctx, Collector<TagChangeSet> out) throws Exception {
        Map<String, TagAssignment> current = new HashMap<>();
        for (Map.Entry<String, TagAssignment> entry : tags.entries()) {
            current.put(entry.getKey(), entry.getValue());
        }
        long version = tagVersion.value() == null ? 0 : tagVersion.value();

        Optional<TagChangeSet> changes = ContentTagDiff.diff(current, version, next, Instant.now(Clock.systemUTC()));
        if (changes.isEmpty()) {
            return;
        }
        TagChangeSet changeSet = changes.get();
        tags.clear();
        for (TagAssignment tag : changeSet.current()) {
            tags.put(tag.tag(), tag);
        }
        tagVersion.update(changeSet.tagVersion());
        out.collect(changeSet);
    }
}
