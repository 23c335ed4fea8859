package io.tagstream.sinks.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tagstream.schemas.TagStat;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendingTagTest {
    private static final long HOUR = 3_600_000L;
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void decaysTheStoredWeightsToTheTimeAskedAbout() {
        TagStat stat = stat(0.8, 0.4, T0);

        TrendingTag at = TrendingTag.of(stat, T0.plusMillis(2 * HOUR));

        assertThat(at.weight()).isEqualTo(0.2);
        // trend: 0.4 / 2^4 = 0.025 over half an hour; weight: 0.2 over an hour.
        double ln2Day = StrictMath.log(2) * 24 * HOUR;
        assertThat(at.risingPerDay()).isEqualTo(ln2Day * 0.025 / (HOUR / 2) - ln2Day * 0.2 / HOUR);
        assertThat(TrendingTag.risingBound(stat, T0.plusMillis(2 * HOUR))).isEqualTo(ln2Day * 0.025 / (HOUR / 2));
        assertThat(at.usageCount()).isEqualTo(3);
        assertThat(at.updatedAt()).isEqualTo(T0);
    }

    @Test
    void aSteadyRateIsNeitherRisingNorFading() {
        // For uses at a steady rate r, a weight with half-life h settles at r·h/ln 2.
        double ratePerMs = 5.0 / HOUR;
        TagStat steady = stat(ratePerMs * HOUR / Math.log(2), ratePerMs * (HOUR / 2) / Math.log(2), T0);

        assertThat(TrendingTag.of(steady, T0).risingPerDay()).isCloseTo(0.0, within(1e-9));
        assertThat(TrendingTag.of(stat(1.0, 1.0, T0), T0).risingPerDay()).isPositive();
        assertThat(TrendingTag.of(stat(1.0, 0.1, T0), T0).risingPerDay()).isNegative();
    }

    @Test
    void aTimeBeforeTheStatReadsItAsStored() {
        TrendingTag before = TrendingTag.of(stat(0.8, 0.4, T0), T0.minusMillis(HOUR));

        assertThat(before.weight()).isEqualTo(0.8);
    }

    static TagStat stat(double weight, double trend, Instant updatedAt) {
        return new TagStat("acme", "topic::kafka", "topic", weight, trend, 3, Math.log(4), updatedAt, 0.0, List.of(),
                updatedAt, HOUR, HOUR / 2, null, null, 1L);
    }
}
