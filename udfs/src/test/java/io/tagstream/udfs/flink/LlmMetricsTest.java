package io.tagstream.udfs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.udfs.tagging.llm.LlmUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** What the LLM tagger tells its listener becomes the operator's counters, under the documented names. */
class LlmMetricsTest {
    private static final List<String> NAMES = List.of("llmCalls", "llmFailedCalls", "llmRetries", "llmInputTokens",
            "llmOutputTokens", "llmFallbacks", "llmCircuitOpen");

    private final MetricListener registry = new MetricListener();
    private final LlmMetrics metrics = new LlmMetrics(registry.getMetricGroup());

    private static LlmUsage call(int attempt, long in, long out, String outcome) {
        return new LlmUsage("t1", "c1", "gpt-test", "tagging", "tag-v1", attempt, in, out, 0.0, 5, outcome,
                outcome.equals(LlmUsage.OK) ? null : "status 500");
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : NAMES) {
            counts.put(name, registry.getCounter(name).map(Counter::getCount).orElseThrow());
        }
        return counts;
    }

    @Test
    void countsStartAtZero() {
        assertThat(counts()).containsOnlyKeys(NAMES).allSatisfy((name, count) -> assertThat(count).isZero());
    }

    @Test
    void callsRetriesTokensFallbacksAndOpenCircuitsAreCounted() {
        // A content answered at once; one answered on its second attempt; one that fell back after
        // three failures; one the open breaker kept from calling at all.
        metrics.called(call(1, 200, 40, LlmUsage.OK));
        metrics.called(call(1, 180, 10, "invalid_output"));
        metrics.called(call(2, 190, 35, LlmUsage.OK));
        metrics.called(call(1, 0, 0, "server_error"));
        metrics.called(call(2, 0, 0, "timeout"));
        metrics.called(call(3, 0, 0, "unreachable"));
        metrics.fellBack("unreachable after 3 attempts");
        metrics.refusedByOpenCircuit();
        metrics.fellBack("circuit breaker open");

        assertThat(counts()).isEqualTo(Map.of(
                "llmCalls", 6L, "llmFailedCalls", 4L, "llmRetries", 3L, "llmInputTokens", 570L,
                "llmOutputTokens", 85L, "llmFallbacks", 2L, "llmCircuitOpen", 1L));
    }
}
