package io.tagstream.udfs.tagging.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroShotCalibrationTest {

    @Test
    void aTagThatStandsOutAmongItsDimensionsAlternativesScoresAboveTheGlobalZ() {
        double[] sims = {0.70, 0.50, 0.50, 0.60, 0.60, 0.60};
        List<String> dims = List.of("type", "type", "type", "topic", "topic", "topic");
        double[] z = ZeroShotCalibration.standardised(sims);
        double[] scores = ZeroShotCalibration.scores(sims, dims);
        double size = ZeroShotCalibration.sizeFactor(6);
        // type: 0.70 is 1.41 sd above its dimension's mean
        assertThat(scores[0]).isCloseTo((z[0] + 0.5 * Math.sqrt(2)) / 1.5 * size, offset(1e-9));
        // topic: three equal similarities, none stands out: the within-dimension term is 0 ("none of these")
        assertThat(scores[3]).isCloseTo(z[3] / 1.5 * size, offset(1e-9));
        assertThat(scores[0]).isGreaterThan(scores[3]);
    }

    @Test
    void smallerTaxonomiesNeedLessOfAZToStandOut() {
        assertThat(ZeroShotCalibration.sizeFactor(642)).isCloseTo(1.0, offset(1e-12));
        assertThat(ZeroShotCalibration.sizeFactor(112)).isCloseTo(1.1705, offset(0.0001));
        assertThat(ZeroShotCalibration.sizeFactor(29)).isGreaterThan(ZeroShotCalibration.sizeFactor(112));
    }

    @Test
    void aDimensionOfOneTagAddsNothingAndTooFewTagsScoreZero() {
        double[] sims = {0.9, 0.5, 0.4};
        double[] scores = ZeroShotCalibration.scores(sims, List.of("a", "b", "b"));
        assertThat(scores[0]).isCloseTo(ZeroShotCalibration.standardised(sims)[0] / 1.5 * ZeroShotCalibration.sizeFactor(3), offset(1e-9));
        assertThat(ZeroShotCalibration.scores(new double[] {0.9}, List.of("a"))).containsExactly(0.0);
    }
}
