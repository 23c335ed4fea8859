package io.tagstream.udfs.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MergeCandidatesTest {

    @Test
    void pairsAboveTheThresholdAreCandidatesMostSimilarFirst() {
        Map<String, float[]> vectors = Map.of(
                "k8s", new float[] {1, 0, 0},
                "kubernetes", new float[] {0.99f, 0.1f, 0},
                "kube", new float[] {0.95f, 0.3f, 0},
                "cooking", new float[] {0, 0, 1});

        assertThat(MergeCandidates.find(vectors, Map.of("k8s", "K8s", "kubernetes", "Kubernetes"), 0.9))
                .extracting(MergeCandidates.Candidate::tagA, MergeCandidates.Candidate::tagB)
                .containsExactly(tuple("k8s", "kubernetes"), tuple("kube", "kubernetes"), tuple("k8s", "kube"));
        assertThat(MergeCandidates.find(vectors, Map.of("k8s", "K8s", "kubernetes", "Kubernetes"), 0.9).get(0).evidence())
                .isEqualTo("cosine 0.995 between \"K8s\" and \"Kubernetes\"");
    }

    @Test
    void theThresholdIsExclusiveAndOppositesAreNeverCandidates() {
        Map<String, float[]> vectors = Map.of("a", new float[] {1, 0}, "b", new float[] {1, 0}, "c", new float[] {-1, 0});

        assertThat(MergeCandidates.find(vectors, Map.of(), 1.0)).isEmpty();
        assertThat(MergeCandidates.find(vectors, Map.of(), 0.9)).extracting(MergeCandidates.Candidate::similarity)
                .containsExactly(1.0);
        assertThatThrownBy(() -> MergeCandidates.cosine(new float[2], new float[3]))
                .hasMessage("vectors of different sizes: 2 and 3");
    }
}
