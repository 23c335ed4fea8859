package io.tagstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import io.tagstream.udfs.weights.TagWeighting;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class TagWeightsTest {

    @Test
    void readsTheDefaultAndPerTenantHalfLives() {
        TagWeighting weighting = TagWeights.weighting(TagstreamConfig.of(Map.of(
                "weights.tenant-half-life-ms", " acme = 3600000 , globex=7200000,",
                "weights.trend-half-life-ms", "1800000")));

        assertThat(weighting.decay("acme").halfLifeMs()).isEqualTo(3_600_000);
        assertThat(weighting.decay("globex").halfLifeMs()).isEqualTo(7_200_000);
        assertThat(weighting.decay("initech").halfLifeMs()).isEqualTo(604_800_000);
        assertThat(weighting.trendDecay().halfLifeMs()).isEqualTo(1_800_000);
        assertThat(TagWeights.tenantHalfLives("")).isEmpty();
    }

    @Test
    void namesTheKeyOfABadTenantHalfLife() {
        assertThatThrownBy(() -> TagWeights.tenantHalfLives("acme:3600000"))
                .hasMessage("configuration key 'weights.tenant-half-life-ms' must read 'tenant=milliseconds,...', "
                        + "was 'acme:3600000'");
        assertThatThrownBy(() -> TagWeights.tenantHalfLives("acme=1,acme=2"))
                .hasMessage("configuration key 'weights.tenant-half-life-ms' names tenant 'acme' twice");
        assertThatThrownBy(() -> TagWeights.weighting(TagstreamConfig.of(Map.of("weights.floor", "low"))))
                .hasMessage("configuration key 'weights.floor' must be a number, was 'low'");
    }

    @Test
    void theTaggingJobCarriesTheWeightOperatorAndItsSinksUnderStableUids() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("it-taxonomy.json")) {
            TaggingJob.build(env, TagstreamConfig.of(Map.of()), KnowledgeGraph.of(TaxonomyFile.read(in, "it-taxonomy.json")));
        }

        List<StreamNode> nodes = List.copyOf(env.getStreamGraph().getStreamNodes());

        assertThat(nodes).allSatisfy(n -> assertThat(n.getTransformationUID()).as(n.getOperatorName()).isNotNull());
        assertThat(nodes).extracting(StreamNode::getTransformationUID).contains(
                "tag-weights-event-time", "tag-weights", "tag-stats-postgres-sink", "tags-elasticsearch-sink",
                "tag-stats-kafka-sink");
    }
}
