package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.TagEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a running tagging job's outputs hold exactly what its input implies, for the
 * contents whose ids start with a prefix: the tag events on Kafka (read committed), the rows of
 * {@code tag_events} (with the same event ids) and {@code content_tags}, and the documents of the
 * contents index. Nothing missing, nothing twice.
 */
final class ExactTagOutputs {
    /** What the input implies, as lines: {@code "<id> v<tag version> <action> <tag>"},
     * {@code "<id> <tag> v<tag version>"} and {@code "<id> v<document version> [<tags, sorted>]"}. */
    record Expected(List<String> events, List<String> currentTags, List<String> documents) {}

    private final StackProbe probe;
    private final FlinkSession flink;
    private final String jobId;
    private final Duration within;
    private final List<TagEvent> kafkaEvents = new ArrayList<>();

    ExactTagOutputs(StackProbe probe, FlinkSession flink, String jobId, Duration within) {
        this.probe = probe;
        this.flink = flink;
        this.jobId = jobId;
        this.within = within;
    }

    void assertExactly(String prefix, Expected expected) throws Exception {
        String like = prefix + "%";
        await().atMost(within).untilAsserted(() -> {
            kafkaEvents.addAll(probe.poll("topic.tag-events", TagEvent.class));
            assertThat(eventsOf(prefix)).hasSizeGreaterThanOrEqualTo(expected.events().size());
        });
        // A duplicate would be committed by the next checkpoint at the latest: wait for one, then look again.
        long last = flink.latestCheckpoint(jobId);
        await().atMost(within).until(() -> flink.latestCheckpoint(jobId) > last);
        kafkaEvents.addAll(probe.poll("topic.tag-events", TagEvent.class));
        assertThat(eventsOf(prefix)).as("tag events on Kafka (read committed)")
                .map(e -> e.contentId() + " v" + e.tagVersion() + " " + e.action() + " " + e.tag())
                .containsExactlyInAnyOrderElementsOf(expected.events());

        await().atMost(within).untilAsserted(() -> assertThat(probe.query(
                        "SELECT content_id, tag_version, action, tag FROM tag_events WHERE content_id LIKE ?", like))
                .as("tag_events").map(r -> r[0] + " v" + r[1] + " " + r[2] + " " + r[3])
                .containsExactlyInAnyOrderElementsOf(expected.events()));
        assertThat(probe.query("SELECT event_id::text FROM tag_events WHERE content_id LIKE ?", like)).map(r -> r[0])
                .as("the same event ids in PostgreSQL and on Kafka")
                .containsExactlyInAnyOrderElementsOf(eventsOf(prefix).stream().map(TagEvent::eventId).toList());
        await().atMost(within).untilAsserted(() -> assertThat(probe.query(
                        "SELECT content_id, tag, tag_version FROM content_tags WHERE content_id LIKE ?", like))
                .as("content_tags").map(r -> r[0] + " " + r[1] + " v" + r[2])
                .containsExactlyInAnyOrderElementsOf(expected.currentTags()));

        await().atMost(within).untilAsserted(() -> {
            JsonNode hits = probe.searchContents("{\"size\": 10000, \"version\": true, \"query\": {\"prefix\": "
                    + "{\"content_id\": \"" + prefix + "\"}}}").path("hits").path("hits");
            List<String> documents = new ArrayList<>();
            hits.forEach(hit -> {
                List<String> tags = new ArrayList<>();
                hit.path("_source").path("tag_ids").forEach(t -> tags.add(t.asText()));
                tags.sort(null);
                documents.add(hit.path("_source").path("content_id").asText() + " v" + hit.path("_version").asLong() + " " + tags);
            });
            assertThat(documents).as("contents index").containsExactlyInAnyOrderElementsOf(expected.documents());
        });
    }

    private List<TagEvent> eventsOf(String prefix) {
        return kafkaEvents.stream().filter(e -> e.contentId().startsWith(prefix)).toList();
    }
}
