package io.tagstream.udfs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VersionGateFunctionTest {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private InterceptingOperatorMetricGroup metrics;
    private KeyedOneInputStreamOperatorTestHarness<String, ContentEvent, ContentEvent> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = newHarness(null);
    }

    @AfterEach
    void closeHarnesses() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void passesNewEventsOnWithTheirVersion() throws Exception {
        List<ContentEvent> out = process(event("e1", "c1", 3L), event("e2", "c1", 4L));

        assertThat(out).containsExactly(event("e1", "c1", 3L), event("e2", "c1", 4L));
    }

    @Test
    void fillsInTheVersionOfVersionlessEvents() throws Exception {
        List<ContentEvent> out = process(event("e1", "c1", null), event("e2", "c1", 5L), event("e3", "c1", null));

        assertThat(out).extracting(ContentEvent::version).containsExactly(1L, 5L, 6L);
        assertThat(out.get(0)).isEqualTo(event("e1", "c1", 1L));
    }

    @Test
    void dropsDuplicatesAndStaleEventsAndCountsThem() throws Exception {
        List<ContentEvent> out = process(
                event("e1", "c1", 3L),
                event("e1", "c1", 3L),   // producer retry
                event("e0", "c1", 2L),   // late, older version
                event("e2", "c1", 3L),   // same version again
                event("e3", "c1", 4L));

        assertThat(out).extracting(ContentEvent::eventId).containsExactly("e1", "e3");
        assertThat(counter("duplicateContentEvents").getCount()).isEqualTo(1);
        assertThat(counter("staleContentEvents").getCount()).isEqualTo(2);
    }

    @Test
    void judgesEachContentByItsOwnState() throws Exception {
        List<ContentEvent> out = process(event("e1", "c1", 5L), event("e1", "c2", 1L), event("e2", "c2", 2L));

        assertThat(out).containsExactly(event("e1", "c1", 5L), event("e1", "c2", 1L), event("e2", "c2", 2L));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void remembersVersionsAndEventIdsAcrossASnapshotAndRestore() throws Exception {
        process(event("e1", "c1", 3L));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);

        harness = newHarness(snapshot);
        List<ContentEvent> out = process(event("e1", "c1", 9L), event("e2", "c1", 3L), event("e3", "c1", null));

        assertThat(out).containsExactly(event("e3", "c1", 4L));
        assertThat(counter("duplicateContentEvents").getCount()).isEqualTo(1);
        assertThat(counter("staleContentEvents").getCount()).isEqualTo(1);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A harness whose operator metrics are intercepted, optionally restored from a snapshot. */
    private KeyedOneInputStreamOperatorTestHarness<String, ContentEvent, ContentEvent> newHarness(
            OperatorSubtaskState restoreFrom) throws Exception {
        InterceptingOperatorMetricGroup operatorMetrics = new InterceptingOperatorMetricGroup();
        MockEnvironment environment = new MockEnvironmentBuilder()
                .setMetricGroup(new InterceptingTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name) {
                        return operatorMetrics;
                    }
                })
                .build();
        resources.add(environment);
        var newHarness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new VersionGateFunction(3)), ContentEvent::contentKey, Types.STRING,
                environment);
        resources.add(newHarness);
        if (restoreFrom != null) {
            newHarness.initializeState(restoreFrom);
        }
        newHarness.open();
        metrics = operatorMetrics;
        return newHarness;
    }

    private List<ContentEvent> process(ContentEvent... events) throws Exception {
        harness.getOutput().clear();
        for (ContentEvent event : events) {
            harness.processElement(event, 0L);
        }
        return harness.extractOutputValues();
    }

    private Counter counter(String name) {
        Counter counter = (Counter) metrics.get(name);
        assertThat(counter).as("counter " + name).isNotNull();
        return counter;
    }

    private static ContentEvent event(String eventId, String contentId, Long version) {
        return new ContentEvent(eventId, "acme", contentId, ContentOp.UPSERT, version,
                Instant.parse("2026-01-31T12:00:00Z"), "title", "body", "en", null, null, null);
    }
}
