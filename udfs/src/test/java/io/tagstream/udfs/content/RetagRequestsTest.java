package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetagRequestsTest {
    private static final Instant WRITTEN = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant EFFECTIVE = Instant.parse("2026-06-01T00:00:00Z");

    private final RetagRequests requests = new RetagRequests(new VersionGate(8), EFFECTIVE);

    @Test
    void requestsTheVersionTheGateAcceptedLastAtTheEffectiveTime() {
        List<ContentEvent> stored = List.of(
                upsert("e1", 1L, "Kafka"),
                upsert("e2", 2L, "Flink"),
                upsert("e3", 1L, "stale: a lower version after a higher one"),
                upsert("e2", 2L, "a repeated event id"));

        RetagRequests.Result result = requests.of(stored, false);

        assertThat(result.outcome()).isEqualTo(RetagRequests.Outcome.REQUESTED);
        ContentEvent request = result.request().orElseThrow();
        assertThat(request.title()).isEqualTo("Flink");
        assertThat(request.version()).isEqualTo(2);
        assertThat(request.occurredAt()).isEqualTo(EFFECTIVE);
        assertThat(request.eventId()).isEqualTo("retag:e2");
        assertThat(request.contentKey()).isEqualTo("acme/c1");
    }

    @Test
    void versionlessEventsAreNumberedInStoredOrderAsTheTaggingJobDid() {
        RetagRequests.Result result = requests.of(List.of(upsert("e1", null, "one"), upsert("e2", null, "two")), false);

        assertThat(result.request().orElseThrow().version()).isEqualTo(2);
        assertThat(result.request().orElseThrow().title()).isEqualTo("two");
    }

    @Test
    void aDeletedContentIsNotRequested() {
        ContentEvent delete = new ContentEvent("e2", "acme", "c1", ContentOp.DELETE, 2L, WRITTEN, null, null, null, null,
                null, null);

        assertThat(requests.of(List.of(upsert("e1", 1L, "Kafka"), delete), false))
                .isEqualTo(new RetagRequests.Result(RetagRequests.Outcome.DELETED, java.util.Optional.empty()));
    }

    @Test
    void anErasedContentIsNeverRequested() {
        assertThat(requests.of(List.of(upsert("e1", 1L, "Kafka")), true).outcome()).isEqualTo(RetagRequests.Outcome.ERASED);
        assertThat(requests.of(List.of(), true).request()).isEmpty();
    }

    private static ContentEvent upsert(String eventId, Long version, String title) {
        return new ContentEvent(eventId, "acme", "c1", ContentOp.UPSERT, version, WRITTEN, title, "", "en", null, null,
                List.of("user-tag"));
    }
}
