package io.tagstream.udfs.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tagstream.schemas.TagAction;
import io.tagstream.udfs.trace.TagUsageSeries.Day;
import io.tagstream.udfs.trace.TagUsageSeries.Use;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagUsageSeriesTest {
    private static final LocalDate D1 = LocalDate.parse("2026-05-01");

    @Test
    void theWeightHalvesEveryHalfLifeAfterAUse() {
        List<Day> days = TagUsageSeries.days(List.of(use("a", 1, TagAction.ADDED, 0.8, "2026-05-01T00:00:00Z")),
                D1, D1.plusDays(13), Duration.ofDays(7));

        assertThat(days.get(6).weight()).isCloseTo(0.4, within(1e-12));   // end of day 7: one half-life
        assertThat(days.get(13).weight()).isCloseTo(0.2, within(1e-12));  // end of day 14: two
        for (int i = 1; i < days.size(); i++) {
            assertThat(days.get(i).weight()).isLessThan(days.get(i - 1).weight());
        }
    }

    @Test
    void usesAddUpAndOnlyAdditionsRaiseTheWeight() {
        List<Day> days = TagUsageSeries.days(List.of(
                use("a", 1, TagAction.ADDED, 0.5, "2026-05-01T12:00:00Z"),
                use("b", 1, TagAction.ADDED, 0.5, "2026-05-01T12:00:00Z"),
                use("a", 2, TagAction.UPDATED, 0.9, "2026-05-01T18:00:00Z"),
                use("b", 2, TagAction.REMOVED, 0.0, "2026-05-01T18:00:00Z")), D1, D1, Duration.ofHours(12));

        assertThat(days).singleElement().satisfies(d -> {
            assertThat(d.added()).isEqualTo(2);
            assertThat(d.updated()).isEqualTo(1);
            assertThat(d.removed()).isEqualTo(1);
            assertThat(d.contents()).isEqualTo(1);
            assertThat(d.weight()).isCloseTo(0.5, within(1e-12));   // 1.0 one half-life before midnight
        });
    }

    @Test
    void eventsBeforeTheFirstDayCountTowardsItsStateButNotItsFigures() {
        List<Day> days = TagUsageSeries.days(List.of(
                use("a", 1, TagAction.ADDED, 1.0, "2026-04-30T00:00:00Z"),
                use("b", 1, TagAction.ADDED, 1.0, "2026-05-02T10:00:00Z"),
                use("a", 2, TagAction.REJECTED, 0.0, "2026-05-03T10:00:00Z")), D1, D1.plusDays(2), Duration.ofDays(1));

        assertThat(days).extracting(d -> d.day() + " +" + d.added() + " -" + d.removed() + " =" + d.contents())
                .containsExactly("2026-05-01 +0 -0 =1", "2026-05-02 +1 -0 =2", "2026-05-03 +0 -1 =1");
        assertThat(days.get(0).weight()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void withinAContentTheHigherTagVersionDecidesWhateverTheTimesSay() {
        List<Day> days = TagUsageSeries.days(List.of(
                use("a", 2, TagAction.REMOVED, 0.0, "2026-05-01T08:00:00Z"),
                use("a", 1, TagAction.ADDED, 0.7, "2026-05-01T09:00:00Z")), D1, D1, Duration.ofDays(7));

        assertThat(days.get(0).contents()).isZero();
        assertThat(days.get(0).added()).isEqualTo(1);
    }

    @Test
    void refusesARangeThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> TagUsageSeries.days(List.of(), D1, D1.minusDays(1), Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the last day 2026-04-30 is before the first day 2026-05-01");
    }

    private static Use use(String content, long version, TagAction action, double confidence, String at) {
        return new Use(content, version, action, confidence, Instant.parse(at));
    }
}
