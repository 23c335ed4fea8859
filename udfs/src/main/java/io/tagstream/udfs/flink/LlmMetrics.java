package io.tagstream.udfs.flink;

import io.tagstream.udfs.tagging.llm.LlmListener;
import io.tagstream.udfs.tagging.llm.LlmUsage;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The LLM tagger's calls as counters of the operator that runs it, so that the web UI and the
 * Prometheus reporter show them: calls, failed calls, retries, input and output tokens, contents
 * that fell back and calls refused by the open circuit breaker. Names in docs/operations.md.
 */
public final class LlmMetrics implements LlmListener {
    private final Counter calls;
    private final Counter failedCalls;
    private final Counter retries;
    private final Counter inputTokens;
    private final Counter outputTokens;
    private final Counter fallbacks;
    private final Counter circuitOpen;

    public LlmMetrics(MetricGroup metrics) {
        calls = metrics.counter("llmCalls");
        failedCalls = metrics.counter("llmFailedCalls");
        retries = metrics.counter("llmRetries");
        inputTokens = metrics.counter("llmInputTokens");
        outputTokens = metrics.counter("llmOutputTokens");
        fallbacks = metrics.counter("llmFallbacks");
        circuitOpen = metrics.counter("llmCircuitOpen");
    }

    @Override
    public void called(LlmUsage call) {
        calls.inc();
        if (!call.succeeded()) {
            failedCalls.inc();
        }
        if (call.attempt() > 1) {
            retries.inc();
        }
        inputTokens.inc(call.inputTokens());
        outputTokens.inc(call.outputTokens());
    }

    @Override
    public void refusedByOpenCircuit() {
        circuitOpen.inc();
    }

    @Override
    public void fellBack(String why) {
        fallbacks.inc();
    }
}
