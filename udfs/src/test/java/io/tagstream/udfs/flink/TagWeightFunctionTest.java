package io.tagstream.udfs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagKey;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.TagStat;
import io.tagstream.udfs.weights.TagWeighting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TagWeightFunctionTest {
    private static final long HOUR = 3_600_000L;
    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long EMIT_INTERVAL = 1_000;
    private static final long PRUNE_DELAY = HOUR;
    /** One-hour half-life, floor 0.01: a single use of 0.64 fades after six half-lives. */
    private static final TagWeighting WEIGHTING = new TagWeighting(HOUR, Map.of(), HOUR / 2, 0.01);

    private final List<AutoCloseable> harnesses = new ArrayList<>();
    private KeyedOneInputStreamOperatorTestHarness<String, TagEvent, TagStat> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = newHarness(null);
    }

    @AfterEach
    void closeHarnesses() throws Exception {
        for (AutoCloseable h : harnesses) {
            h.close();
        }
    }

    @Test
    void reportsEachChangedTagOncePerIntervalWithItsLatestValues() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(use("kafka", 0.6, T0), T0);
        harness.processElement(use("kafka", 0.8, T0 + HOUR), T0 + HOUR);
        harness.processElement(use("flink", 0.5, T0), T0);
        assertThat(harness.extractOutputValues()).as("nothing before the interval is over").isEmpty();

        harness.setProcessingTime(EMIT_INTERVAL);

        assertThat(harness.extractOutputValues())
                .extracting(TagStat::tag, TagStat::weight, TagStat::usageCount, TagStat::updatedAt)
                .containsExactlyInAnyOrder(
                        tuple("topic::kafka", 0.3 + 0.8, 2L, Instant.ofEpochMilli(T0 + HOUR)),
                        tuple("topic::flink", 0.5, 1L, Instant.ofEpochMilli(T0)));

        harness.getOutput().clear();
        harness.setProcessingTime(5 * EMIT_INTERVAL);
        assertThat(harness.extractOutputValues()).as("no change, no report").isEmpty();

        harness.processElement(use("kafka", 0.2, T0 + HOUR), T0 + HOUR);
        harness.setProcessingTime(6 * EMIT_INTERVAL - 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(6 * EMIT_INTERVAL);
        assertThat(harness.extractOutputValues()).extracting(TagStat::weight).containsExactly(0.3 + 1.0);
    }

    @Test
    void processingTimeDecidesWhenButNeverWhat() throws Exception {
        List<TagEvent> events = List.of(use("kafka", 0.6, T0), user(TagAction.CONFIRMED, T0 + HOUR),
                use("kafka", 0.9, T0 + HOUR), use("kafka", 0.4, T0 + 3 * HOUR));

        harness.setProcessingTime(0);
        for (TagEvent e : events) {
            harness.processElement(e, e.occurredAt().toEpochMilli());
        }
        harness.setProcessingTime(EMIT_INTERVAL);
        TagStat once = harness.extractOutputValues().get(0);

        KeyedOneInputStreamOperatorTestHarness<String, TagEvent, TagStat> slow = newHarness(null);
        long now = 1_700_000_000_000L;
        for (TagEvent e : events) {
            slow.setProcessingTime(now += 10 * EMIT_INTERVAL);
            slow.processElement(e, e.occurredAt().toEpochMilli());
        }
        slow.setProcessingTime(now + 10 * EMIT_INTERVAL);
        List<TagStat> reports = slow.extractOutputValues();

        assertThat(reports).hasSize(4);
        assertThat(reports.get(3)).isEqualTo(once);
        assertThat(once.weight()).isEqualTo(((0.6 / 2 + (1 + 1.0 / 3) * 0.9) / 4) + (1 + 1.0 / 3) * 0.4);
    }

    @Test
    void aTagThatFadedBelowTheFloorLeavesTheStateOnceTheWatermarkPassesItPlusTheDelay() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(use("kafka", 0.64, T0), T0);
        harness.processElement(use("flink", 0.64, T0 + 3 * HOUR), T0 + 3 * HOUR);
        harness.setProcessingTime(EMIT_INTERVAL);
        harness.getOutput().clear();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        long kafkaFades = T0 + 6 * HOUR + 1;
        harness.processWatermark(new Watermark(kafkaFades + PRUNE_DELAY - 1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        harness.processWatermark(new Watermark(kafkaFades + PRUNE_DELAY));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.extractOutputValues()).as("it was reported already").isEmpty();

        // The kafka tag comes back: a fresh start, as it would have been without pruning.
        harness.processElement(use("kafka", 0.5, kafkaFades + 2 * PRUNE_DELAY), kafkaFades + 2 * PRUNE_DELAY);
        harness.setProcessingTime(2 * EMIT_INTERVAL);
        assertThat(harness.extractOutputValues()).extracting(TagStat::tag, TagStat::weight, TagStat::usageCount)
                .containsExactly(tuple("topic::kafka", 0.5, 1L));
    }

    @Test
    void aPruneTimerThatFiresAfterTheTagWasUsedAgainWaitsForTheNewFadingTime() throws Exception {
        harness.processElement(use("kafka", 0.64, T0), T0);
        harness.processElement(use("kafka", 0.64, T0 + 4 * HOUR), T0 + 4 * HOUR);

        harness.processWatermark(new Watermark(T0 + 6 * HOUR + 1 + PRUNE_DELAY));
        assertThat(harness.numKeyedStateEntries()).as("0.68 at 14:00 is above the floor until 20:00").isEqualTo(1);

        long fades = T0 + 4 * HOUR + new io.tagstream.udfs.weights.TagDecay(HOUR).timeToFall(0.04 + 0.64, 0.01);
        harness.processWatermark(new Watermark(fades + PRUNE_DELAY - 1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processWatermark(new Watermark(fades + PRUNE_DELAY));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aReportThatIsDueWhenTheTagIsPrunedGoesOutFirst() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(use("kafka", 0.64, T0), T0);

        harness.processWatermark(new Watermark(T0 + 6 * HOUR + 1 + PRUNE_DELAY));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.extractOutputValues()).extracting(TagStat::tag, TagStat::weight)
                .containsExactly(tuple("topic::kafka", 0.64));
        harness.getOutput().clear();
        harness.setProcessingTime(EMIT_INTERVAL);
        assertThat(harness.extractOutputValues()).as("its emit timer is gone").isEmpty();
    }

    @Test
    void theEndOfTheInputReportsWhatIsDueButPrunesNothing() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(use("kafka", 0.64, T0), T0);

        harness.processWatermark(new Watermark(Long.MAX_VALUE));

        assertThat(harness.extractOutputValues()).extracting(TagStat::tag, TagStat::weight)
                .containsExactly(tuple("topic::kafka", 0.64));
        assertThat(harness.numKeyedStateEntries()).as("the weight stays for a restart").isEqualTo(1);
        harness.getOutput().clear();
        harness.setProcessingTime(EMIT_INTERVAL);
        assertThat(harness.extractOutputValues()).as("its emit timer is gone").isEmpty();
    }

    @Test
    void aTagWithoutUsesIsNeverReported() throws Exception {
        harness.processElement(user(TagAction.REJECTED, T0), T0);
        harness.setProcessingTime(EMIT_INTERVAL);

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void stateAndTimersSurviveASnapshotAndRestore() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(use("kafka", 0.6, T0), T0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);

        harness = newHarness(snapshot);
        harness.setProcessingTime(EMIT_INTERVAL);
        assertThat(harness.extractOutputValues()).extracting(TagStat::weight).containsExactly(0.6);

        harness.getOutput().clear();
        harness.processElement(use("kafka", 0.8, T0 + HOUR), T0 + HOUR);
        harness.setProcessingTime(2 * EMIT_INTERVAL);
        assertThat(harness.extractOutputValues()).extracting(TagStat::weight, TagStat::usageCount)
                .containsExactly(tuple(0.3 + 0.8, 2L));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private KeyedOneInputStreamOperatorTestHarness<String, TagEvent, TagStat> newHarness(
            OperatorSubtaskState restoreFrom) throws Exception {
        var newHarness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TagWeightFunction(WEIGHTING, EMIT_INTERVAL, PRUNE_DELAY)),
                (TagEvent e) -> TagKey.of(e.tenant(), e.tag()),
                Types.STRING);
        harnesses.add(newHarness);
        if (restoreFrom != null) {
            newHarness.initializeState(restoreFrom);
        }
        newHarness.open();
        return newHarness;
    }

    private static TagEvent use(String tag, double confidence, long time) {
        return new TagEvent("e", "acme", "c1", 1, 1, "topic::" + tag, "topic", TagAction.ADDED, confidence, null,
                TagSource.EMBEDDING, null, null, null, null, Instant.ofEpochMilli(time), null);
    }

    private static TagEvent user(TagAction action, long time) {
        return new TagEvent("e", "acme", "c1", 1, 2, "topic::kafka", "topic", action, 1.0, null, TagSource.USER,
                null, null, null, null, Instant.ofEpochMilli(time), null);
    }
}
