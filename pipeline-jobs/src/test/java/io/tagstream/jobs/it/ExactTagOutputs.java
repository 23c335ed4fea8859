package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagStat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Checks that a running tagging job's outputs hold exactly what its input implies, for the
 * contents whose ids start with a prefix: the tag events on Kafka (read committed), the rows of
 * {@code tag_events} (with the same event ids) and {@code content_tags}, and the documents of the
 * contents index. Nothing missing, nothing twice. Beside them, on request: the dead letters on
 * {@code content.dlq} (read committed) and in {@code dead_letters}, a tenant's tag weights in
 * {@code tag_stats}, on {@code tag.stats} and in the tags index, and the rows of {@code tag_drops}.
 */
final class ExactTagOutputs {
    /** What the input implies, as lines: {@code "<id> v<tag version> <action> <tag>"},
     * {@code "<id> <tag> v<tag version>"} and {@code "<id> v<document version> [<tags, sorted>]"}. */
    record Expected(List<String> events, List<String> currentTags, List<String> documents) {}

    /** A record the job must refuse: the key it was sent with (unique), what its error must match, its bytes. */
    record ExpectedDeadLetter(String key, Pattern error, byte[] raw) {}

    private final StackProbe probe;
    private final FlinkSession flink;
    private final Supplier<String> jobId;
    private final Duration within;
    private final List<TagEvent> kafkaEvents = new ArrayList<>();
    private final List<DeadLetter> kafkaDeadLetters = new ArrayList<>();
    /** The newest committed stat on tag.stats of each tenant/tag. */
    private final Map<String, TagStat> kafkaStats = new HashMap<>();

    ExactTagOutputs(StackProbe probe, FlinkSession flink, String jobId, Duration within) {
        this(probe, flink, () -> jobId, within);
    }

    /** For a test that submits its job again: what it has read from Kafka so far stays counted. */
    ExactTagOutputs(StackProbe probe, FlinkSession flink, Supplier<String> jobId, Duration within) {
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
        awaitNextCheckpoint();
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

    /**
     * Every dead letter of the job's database and of {@code content.dlq} (read committed) is one of
     * {@code expected}, and each expected one is there exactly once in both, with its error, its
     * bytes (the first of them when it was cut, and its full size) and the same source position.
     */
    void assertDeadLetters(String sourceTopic, List<ExpectedDeadLetter> expected) throws Exception {
        List<String> keys = expected.stream().map(ExpectedDeadLetter::key).toList();
        await().atMost(within).untilAsserted(() -> {
            kafkaDeadLetters.addAll(probe.poll("topic.dead-letters", DeadLetter.class));
            assertThat(kafkaDeadLetters).hasSizeGreaterThanOrEqualTo(expected.size());
        });
        awaitNextCheckpoint();
        kafkaDeadLetters.addAll(probe.poll("topic.dead-letters", DeadLetter.class));
        assertThat(kafkaDeadLetters).as("keys of the dead letters on content.dlq (read committed)")
                .map(d -> d.keyBase64() == null ? null : new String(Base64.getDecoder().decode(d.keyBase64()), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(keys);

        List<String[]> rows = await().atMost(within).until(() -> probe.query("SELECT convert_from(record_key, 'UTF8'), "
                        + "stage, error, topic, kafka_partition, kafka_offset, encode(raw, 'base64'), raw_truncated::text, raw_size "
                        + "FROM dead_letters"),
                r -> r.size() >= expected.size());
        assertThat(rows).as("keys of the rows of dead_letters").map(r -> r[0]).containsExactlyInAnyOrderElementsOf(keys);

        for (ExpectedDeadLetter letter : expected) {
            DeadLetter onKafka = kafkaDeadLetters.stream().filter(d -> letter.key().equals(
                    new String(Base64.getDecoder().decode(d.keyBase64()), StandardCharsets.UTF_8))).findFirst().orElseThrow();
            String[] row = rows.stream().filter(r -> letter.key().equals(r[0])).findFirst().orElseThrow();
            String what = "dead letter of " + letter.key();
            assertThat(onKafka.error()).as(what + ": error").matches(letter.error());
            assertThat(onKafka.stage()).as(what + ": stage").isEqualTo("parse");
            assertThat(onKafka.topic()).as(what + ": topic").isEqualTo(sourceTopic);
            assertThat(onKafka.rawSize()).as(what + ": size").isEqualTo(letter.raw().length);
            assertKept(what + " on content.dlq", letter.raw(), Base64.getDecoder().decode(onKafka.rawBase64()), onKafka.rawTruncated());
            assertThat(List.of(row[1], row[2], row[3], row[4], row[5], row[8])).as(what + " in dead_letters, as on content.dlq")
                    .containsExactly(onKafka.stage(), onKafka.error(), onKafka.topic(), Integer.toString(onKafka.partition()),
                            Long.toString(onKafka.offset()), Integer.toString(onKafka.rawSize()));
            assertKept(what + " in dead_letters", letter.raw(), Base64.getMimeDecoder().decode(row[6]), Boolean.parseBoolean(row[7]));
        }
    }

    /** A dead letter keeps the record's bytes, or, when it says it cut them, their beginning. */
    private static void assertKept(String what, byte[] raw, byte[] kept, boolean truncated) {
        if (truncated) {
            assertThat(kept.length).as(what + ": bytes kept of a cut record").isPositive().isLessThan(raw.length);
            assertThat(Arrays.equals(kept, Arrays.copyOf(raw, kept.length))).as(what + ": the record's first bytes").isTrue();
        } else {
            assertThat(Arrays.equals(kept, raw)).as(what + ": the record's bytes").isTrue();
        }
    }

    /**
     * The tenant's tag weights, as the log implies them: each tag used in {@code tag_events}
     * (ADDED, UPDATED) has one row in {@code tag_stats} with its uses counted exactly once, the sum
     * of their confidences as weight and trend weight (decayed over the seconds between the events:
     * to within 1e-4), its last use and no feedback; the newest stat on {@code tag.stats} (read
     * committed) and the tags index document carry the same version and count.
     */
    void assertTagStats(String tenant) throws Exception {
        List<String> expected = new ArrayList<>();
        Map<String, Double> weights = new HashMap<>();
        for (String[] r : probe.query("SELECT tag, dimension, count(*), sum(confidence), max(occurred_at) FROM tag_events "
                + "WHERE tenant = ? AND action IN ('ADDED', 'UPDATED') GROUP BY tag, dimension", tenant)) {
            expected.add(r[0] + " " + r[1] + " uses " + r[2] + ", last " + r[4] + ", feedback 0");
            weights.put(r[0], Double.parseDouble(r[3]));
        }
        await().atMost(within).untilAsserted(() -> assertThat(probe.query("SELECT tag, dimension, usage_count, last_used, "
                        + "feedback_score FROM tag_stats WHERE tenant = ?", tenant))
                .as("tag_stats of " + tenant).map(r -> r[0] + " " + r[1] + " uses " + r[2] + ", last " + r[3]
                        + ", feedback " + (Double.parseDouble(r[4]) == 0 ? "0" : r[4]))
                .containsExactlyInAnyOrderElementsOf(expected));
        List<String[]> stats = probe.query("SELECT tag, weight, trend_weight, version, usage_count FROM tag_stats WHERE tenant = ?", tenant);
        for (String[] s : stats) {
            double weight = weights.get(s[0]);
            assertThat(Double.parseDouble(s[1])).as("weight of " + s[0]).isCloseTo(weight, offset(weight * 1e-4));
            assertThat(Double.parseDouble(s[2])).as("trend weight of " + s[0]).isCloseTo(weight, offset(weight * 1e-4));
        }
        List<String> rows = stats.stream().map(s -> s[0] + " v" + s[3] + " uses " + s[4]).toList();
        await().atMost(within).untilAsserted(() -> {
            probe.poll("topic.tag-stats", TagStat.class).forEach(s ->
                    kafkaStats.merge(s.tenant() + "/" + s.tag(), s, (a, b) -> b.version() > a.version() ? b : a));
            assertThat(kafkaStats.values().stream().filter(s -> s.tenant().equals(tenant)).toList())
                    .as("the newest stats on tag.stats (read committed)")
                    .map(s -> s.tag() + " v" + s.version() + " uses " + s.usageCount())
                    .containsExactlyInAnyOrderElementsOf(rows);
        });
        await().atMost(within).untilAsserted(() -> {
            List<String> documents = new ArrayList<>();
            for (String[] s : stats) {
                JsonNode document = probe.tagDocument(tenant, s[0]);
                documents.add(document.path("_source").path("tag").asText() + " v" + document.path("_version").asLong()
                        + " uses " + document.path("_source").path("usage_count").asLong());
            }
            assertThat(documents).as("tags index").containsExactlyInAnyOrderElementsOf(rows);
        });
    }

    /** The rows of {@code tag_drops} of the contents under {@code prefix}, as {@code "<id> v<content version> <tag>: <reason>"}. */
    void assertDrops(String prefix, List<String> expected) throws Exception {
        await().atMost(within).untilAsserted(() -> assertThat(probe.query(
                        "SELECT content_id, content_version, tag, reason FROM tag_drops WHERE content_id LIKE ?", prefix + "%"))
                .as("tag_drops").map(r -> r[0] + " v" + r[1] + " " + r[2] + ": " + r[3])
                .containsExactlyInAnyOrderElementsOf(expected));
    }

    private void awaitNextCheckpoint() throws Exception {
        long last = flink.latestCheckpoint(jobId.get());
        await().atMost(within).until(() -> flink.latestCheckpoint(jobId.get()) > last);
    }

    private List<TagEvent> eventsOf(String prefix) {
        return kafkaEvents.stream().filter(e -> e.contentId().startsWith(prefix)).toList();
    }
}
