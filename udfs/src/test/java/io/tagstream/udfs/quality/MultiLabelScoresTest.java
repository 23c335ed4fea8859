package io.tagstream.udfs.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MultiLabelScoresTest {

    @Test
    void microAndMacroScoresAndTagsPerItem() {
        MultiLabelScores s = MultiLabelScores.of(
                List.of(Set.of("a", "b"), Set.of("a"), Set.of()),
                List.of(Set.of("a"), Set.of("a", "c"), Set.of("c")));
        // tp 2 (a, a); predicted 3; gold 4
        assertThat(s.microPrecision()).isEqualTo(2.0 / 3);
        assertThat(s.microRecall()).isEqualTo(0.5);
        assertThat(s.microF1()).isEqualTo(4.0 / 7);
        // per tag F1: a = 2*2/(2+2) = 1, b = 0, c = 0
        assertThat(s.macroF1()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(s.predictedPerItem()).isEqualTo(1.0);
        assertThat(s.goldPerItem()).isEqualTo(4.0 / 3);
        assertThat(s.items()).isEqualTo(3);
    }

    @Test
    void nothingPredictedIsZeroNotAnError() {
        MultiLabelScores s = MultiLabelScores.of(List.of(Set.of()), List.of(Set.of("a")));
        assertThat(s.microPrecision()).isZero();
        assertThat(s.microF1()).isZero();
        assertThat(s.macroF1()).isZero();
    }
}
