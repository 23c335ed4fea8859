package io.tagstream.jobs.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.jobs.query.TagQueries.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParamsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2026-11-01T10:00:00Z, 2026-11-01T10:00:00Z",
        "2026-11-01T12:00:00+02:00, 2026-11-01T10:00:00Z",
        "2026-11-01T10:00:00.123456Z, 2026-11-01T10:00:00.123456Z",
        "2026-11-01, 2026-11-01T00:00:00Z",
    })
    void momentsAreInstantsOffsetTimesOrDates(String value, String expected) {
        assertThat(params(Map.of("at", value)).instant("at")).contains(Instant.parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"yesterday", "2026-13-01", "2026-11-01T10:00", "1700000000"})
    void anythingElseIsRefusedWithTheValueQuoted(String value) {
        assertThatThrownBy(() -> params(Map.of("at", value)).instant("at"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageEndingWith(", was '" + value + "'");
    }

    @Test
    void unknownParametersAreRefusedAndTheKnownOnesListed() {
        assertThatThrownBy(() -> QueryParams.of(Map.of("limt", "3"), Set.of("limit", "cursor")))
                .hasMessage("unknown parameter 'limt'; known: cursor, limit");
    }

    @Test
    void numbersAreCheckedAgainstTheirRange() {
        QueryParams params = params(Map.of("limit", "500", "min_confidence", "0", "window", "PT1H"));

        assertThat(params.integer("limit", 50, 1, 500)).isEqualTo(500);
        assertThat(params.integer("other", 50, 1, 500)).isEqualTo(50);
        assertThat(params.fraction("min_confidence")).contains(0.0);
        assertThat(params.duration("window", Duration.ofDays(1), Duration.ofMinutes(1), Duration.ofDays(1)))
                .isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> params(Map.of("limit", "501")).integer("limit", 50, 1, 500))
                .hasMessage("limit must be a whole number from 1 to 500, was '501'");
        assertThatThrownBy(() -> params(Map.of("min_confidence", "-0.1")).fraction("min_confidence"))
                .hasMessage("min_confidence must be a number from 0 to 1, was '-0.1'");
    }

    @Test
    void choicesIgnoreCaseAndListTheAlternatives() {
        assertThat(params(Map.of("order", "Recency")).choice("order", Order.class, Order.CONFIDENCE)).isEqualTo(Order.RECENCY);
        assertThat(params(Map.of()).choice("order", Order.class, Order.CONFIDENCE)).isEqualTo(Order.CONFIDENCE);
        assertThatThrownBy(() -> params(Map.of("order", "best")).choice("order", Order.class, Order.CONFIDENCE))
                .hasMessage("order must be one of confidence, recency, was 'best'");
    }

    @Test
    void identifiersMustBePresentPrintableAndBounded() {
        assertThat(QueryParams.identifier("tag", "topic::c++/流處理")).isEqualTo("topic::c++/流處理");
        assertThatThrownBy(() -> QueryParams.identifier("tag", " ")).hasMessage("tag is required");
        assertThatThrownBy(() -> QueryParams.identifier("tag", "a\u0000b")).hasMessage("tag contains a control character");
        assertThatThrownBy(() -> QueryParams.identifier("tag", "x".repeat(513)))
                .hasMessage("tag is longer than 512 characters");
    }

    @Test
    void quotedValuesAreShortenedAndMadePrintable() {
        assertThatThrownBy(() -> params(Map.of("limit", "9".repeat(100) + "\n")).integer("limit", 1, 1, 2))
                .hasMessage("limit must be a whole number from 1 to 2, was '" + "9".repeat(64) + "…'");
    }

    private static QueryParams params(Map<String, String> values) {
        return QueryParams.of(values, values.keySet());
    }
}
