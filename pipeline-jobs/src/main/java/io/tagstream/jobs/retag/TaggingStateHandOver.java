package io.tagstream.jobs.retag;

import io.tagstream.udfs.content.ContentTagSnapshot;
import java.io.IOException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Hands the re-tag's result over to the tagging job: a copy of the stopped job's savepoint in
 * which the state of its {@code content-tag-state} operator is replaced by every content's tags
 * and tag version after the re-tag. All other operators (Kafka offsets, version gate, sink
 * buffers) keep their state. The copy refers to the original savepoint's files for those, so keep
 * the original until the job has taken a newer checkpoint.
 */
public final class TaggingStateHandOver {
    /** The tagging job's operator that holds each content's tags ({@code TaggingJob}). */
    public static final String CONTENT_TAG_STATE_UID = "content-tag-state";

    private TaggingStateHandOver() {}

    public static void write(StreamExecutionEnvironment env, DataStream<ContentTagSnapshot> states,
            String taggingSavepoint, String outputSavepoint) throws IOException {
        // The State Processor API moves Flink's own savepoint metadata (OperatorState) between its
        // operators as a generic type; the job's own types keep their serializers (FlinkTypesTest).
        Configuration generic = new Configuration();
        generic.set(PipelineOptions.GENERIC_TYPES, true);
        env.configure(generic);
        OperatorIdentifier contentTagState = OperatorIdentifier.forUid(CONTENT_TAG_STATE_UID);
        SavepointWriter.fromExistingSavepoint(env, taggingSavepoint, new HashMapStateBackend())
                .removeOperator(contentTagState)
                .withOperator(contentTagState, OperatorTransformation.bootstrapWith(states)
                        .keyBy(ContentTagSnapshot::contentKey)
                        .transform(new ContentTagStateBootstrap()))
                .write(outputSavepoint);
    }
}
