package io.tagstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.junit.jupiter.api.Test;

/** The tagging job's graph as built through {@link ContractTopics}: what savepoints and ordering rely on. */
class TaggingJobGraphTest {

    @Test
    void parsesTaxonomyCommandsInOneOrderAndKeepsTheUids() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("it-taxonomy.json")) {
            TaggingJob.build(env, TagstreamConfig.of(Map.of()), KnowledgeGraph.of(TaxonomyFile.read(in, "it-taxonomy.json")));
        }

        Map<String, StreamNode> byUid = env.getStreamGraph().getStreamNodes().stream()
                .filter(n -> n.getTransformationUID() != null)
                .collect(Collectors.toMap(StreamNode::getTransformationUID, Function.identity(), (a, b) -> a));

        assertThat(byUid.get("taxonomy-commands-route-dead-letters").getParallelism()).isEqualTo(1);
        assertThat(byUid.get("content-events-route-dead-letters").getParallelism()).isEqualTo(2);
        assertThat(byUid.get("feedback-route-dead-letters").getParallelism()).isEqualTo(2);
        assertThat(byUid.get("retag-requests-route-dead-letters").getParallelism()).isEqualTo(2);
        assertThat(byUid).containsKeys(
                "content-events-source", "feedback-source", "taxonomy-commands-source",
                "retag-requests-source", "retag-generation", "retag-input",
                "content-tag-state", "tag-events-kafka-sink", "tag-stats-kafka-sink",
                "dead-letters-kafka-sink", "dead-letters-postgres-sink",
                "tag-generation", "feedback-examples", "embed-examples", "tag-examples-postgres-sink");
        // New content and re-tags go through the same asynchronous tag generation.
        assertThat(byUid.get("tag-generation").getOperatorFactory()).isInstanceOf(AsyncWaitOperatorFactory.class);
        assertThat(byUid.get("retag-generation").getOperatorFactory()).isInstanceOf(AsyncWaitOperatorFactory.class);
    }
}
