package io.tagstream.udfs.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfidenceBandTest {

    @Test
    void bandsOfTheIssue() {
        assertThat(ConfidenceBand.of(1.0)).isEqualTo(ConfidenceBand.HIGH);
        assertThat(ConfidenceBand.of(0.8)).isEqualTo(ConfidenceBand.HIGH);
        assertThat(ConfidenceBand.of(0.7999)).isEqualTo(ConfidenceBand.MEDIUM);
        assertThat(ConfidenceBand.of(0.6)).isEqualTo(ConfidenceBand.MEDIUM);
        assertThat(ConfidenceBand.of(0.5999)).isEqualTo(ConfidenceBand.LOW);
        assertThat(ConfidenceBand.of(0.0)).isEqualTo(ConfidenceBand.LOW);
    }
}
