package io.tagstream.udfs.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties of the decay, each checked on many random half-lives, weights and times (fixed seeds). */
class TagDecayTest {
    private static final int SAMPLES = 20_000;
    private static final long WEEK = 7L * 24 * 3600 * 1000;

    @Test
    void aWholeNumberOfHalfLivesHalvesTheWeightExactlyThatManyTimes() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < SAMPLES; i++) {
            long halfLife = random.nextLong(1, 100 * WEEK);
            double weight = random.nextDouble(1e-6, 1e6);
            int halvings = random.nextInt(0, 64);
            TagDecay decay = new TagDecay(halfLife);

            assertThat(decay.decay(weight, halfLife)).isEqualTo(weight / 2);
            assertThat(decay.decay(weight, halvings * halfLife)).isEqualTo(Math.scalb(weight, -halvings));
        }
    }

    @Test
    void decayNeverGrowsWithTimeAndNeverLeavesZeroToOne() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < SAMPLES; i++) {
            long halfLife = random.nextLong(1, 100 * WEEK);
            TagDecay decay = new TagDecay(halfLife);
            long earlier = random.nextLong(0, 40 * halfLife);
            long later = earlier + random.nextLong(0, 2 * halfLife);

            assertThat(decay.factor(later)).isLessThanOrEqualTo(decay.factor(earlier)).isBetween(0.0, 1.0);
            // Across the boundary where the exact power of two takes over from the remainder.
            long boundary = random.nextLong(1, 60) * halfLife;
            assertThat(decay.factor(boundary - 1)).isGreaterThanOrEqualTo(decay.factor(boundary));
            assertThat(decay.factor(boundary)).isGreaterThanOrEqualTo(decay.factor(boundary + 1));
        }
    }

    @Test
    void isTheExponentialWithLambdaLn2OverTheHalfLife() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < SAMPLES; i++) {
            long halfLife = random.nextLong(1_000, 100 * WEEK);
            long dt = random.nextLong(0, 30 * halfLife);
            double lambda = Math.log(2) / halfLife;

            double expected = Math.exp(-lambda * dt);
            assertThat(new TagDecay(halfLife).factor(dt)).isCloseTo(expected, within(expected * 1e-12));
        }
    }

    @Test
    void noTimeOrNegativeTimeLeavesTheWeightAsItIsAndVeryLongTimeLeavesZero() {
        TagDecay decay = new TagDecay(WEEK);

        assertThat(decay.decay(0.6, 0)).isEqualTo(0.6);
        assertThat(decay.decay(0.6, -5)).isEqualTo(0.6);
        assertThat(decay.factor(1075 * WEEK)).isZero();
        assertThat(decay.factor(1074 * WEEK)).isEqualTo(Double.MIN_VALUE);
    }

    @Test
    void timeToFallIsTheFirstMillisecondBelowTheFloor() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < SAMPLES; i++) {
            TagDecay decay = new TagDecay(random.nextLong(1, 100 * WEEK));
            double floor = random.nextDouble(1e-4, 1);
            double weight = random.nextDouble(floor, 1e6);

            long fall = decay.timeToFall(weight, floor);

            assertThat(decay.decay(weight, fall)).isLessThan(floor);
            assertThat(decay.decay(weight, fall - 1)).isGreaterThanOrEqualTo(floor);
        }
        assertThat(new TagDecay(WEEK).timeToFall(0.005, 0.01)).isZero();
        assertThat(new TagDecay(WEEK).timeToFall(0.6, 0.0)).isEqualTo(Long.MAX_VALUE);
        assertThat(new TagDecay(WEEK).timeToFall(0.04, 0.01)).isEqualTo(2 * WEEK + 1);
    }

    @Test
    void refusesAHalfLifeThatIsNotPositive() {
        assertThatThrownBy(() -> new TagDecay(0)).hasMessage("a half-life must be positive, was 0 ms");
    }
}
