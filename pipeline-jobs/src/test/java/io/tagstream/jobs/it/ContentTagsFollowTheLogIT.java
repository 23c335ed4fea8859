package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.rebuild.ViewRebuild;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.sinks.postgres.TagEventStatement;
import io.tagstream.udfs.content.TagEventIds;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code content_tags} follows {@code tag_events} through migration V7's statement trigger. The
 * events go in exactly as the sink sends them ({@link TagEventStatement}, batched, rewritten by
 * the driver into multi-row INSERTs), cut into random batches, with replays of earlier batches
 * in between, as a sink retry or a restore from a checkpoint would send them. Two oracles check
 * the outcome: applying the events one by one (what the per-event statement before V7 did) and
 * {@link ViewRebuild#rebuildContentTags()}, which derives the table from the whole log.
 */
class ContentTagsFollowTheLogIT {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final String[] TAGS = {"kafka", "flink", "rust", "cooking"};

    @Test
    void batchesWithReplaysEndWhereAppliedOneByOneAndRebuiltFromTheLogEnd() throws Exception {
        TagstreamConfig config = LocalStack.isolatedConfig("content_tags_follow_it");
        Random random = new Random(20261121);
        List<TagEvent> log = history(random, 12, 30);
        Map<String, String> oneByOne = applyOneByOne(log);

        try (Connection c = rewritingConnection(config); StackProbe probe = new StackProbe(config)) {
            List<List<TagEvent>> sent = new ArrayList<>();
            int i = 0;
            while (i < log.size()) {
                int size = 1 + random.nextInt(40);
                List<TagEvent> batch = log.subList(i, Math.min(log.size(), i + size));
                send(c, batch);
                sent.add(batch);
                i += batch.size();
                if (random.nextInt(3) == 0) {
                    // a retried batch, or everything since a checkpoint again: all of it already logged
                    send(c, sent.get(random.nextInt(sent.size())));
                }
            }
            send(c, log); // the whole stream once more, in one go

            assertThat(probe.count("SELECT count(*) FROM tag_events")).isEqualTo(log.size());
            Map<String, String> followed = contentTags(probe);
            assertThat(followed).isNotEmpty().isEqualTo(oneByOne);

            new ViewRebuild(config.postgres(), null, "unused", line -> {}).rebuildContentTags();
            assertThat(contentTags(probe)).isEqualTo(followed);
        }
    }

    @Test
    void aTagRemovedAndAddedAgainInOneBatchStartsANewRun() throws Exception {
        TagstreamConfig config = LocalStack.isolatedConfig("content_tags_rerun_it");
        try (Connection c = rewritingConnection(config); StackProbe probe = new StackProbe(config)) {
            send(c, List.of(event("c1", 1, "kafka", TagAction.ADDED, 0.6, 1), event("c1", 2, "kafka", TagAction.UPDATED, 0.7, 2)));
            send(c, List.of(event("c1", 3, "kafka", TagAction.UPDATED, 0.8, 3), event("c1", 4, "kafka", TagAction.REMOVED, 0, 4),
                    event("c1", 5, "kafka", TagAction.ADDED, 0.5, 5), event("c1", 6, "kafka", TagAction.UPDATED, 0.9, 6),
                    event("c1", 6, "flink", TagAction.ADDED, 0.4, 6)));
            // an old event arriving late changes nothing
            send(c, List.of(event("c1", 3, "flink", TagAction.REMOVED, 0, 3)));

            // kafka's run began again at minute 5; flink's late removal (version 3) found a newer row
            assertThat(contentTags(probe)).containsExactly(
                    Map.entry("c1 flink", "0.4 6 " + millis(6) + " " + millis(6)),
                    Map.entry("c1 kafka", "0.9 6 " + millis(5) + " " + millis(6)));
        }
    }

    /** Random tag histories of a few contents, each content's events in tag_version order, interleaved. */
    private static List<TagEvent> history(Random random, int contents, int versions) {
        List<List<TagEvent>> perContent = new ArrayList<>();
        for (int c = 0; c < contents; c++) {
            List<TagEvent> events = new ArrayList<>();
            Map<String, Boolean> carried = new TreeMap<>();
            for (int v = 1; v <= versions; v++) {
                for (String tag : TAGS) {
                    if (random.nextInt(3) != 0) {
                        continue;
                    }
                    boolean has = carried.getOrDefault(tag, false);
                    TagAction action = has
                            ? new TagAction[] {TagAction.UPDATED, TagAction.CONFIRMED, TagAction.REMOVED, TagAction.REJECTED}[random.nextInt(4)]
                            : TagAction.ADDED;
                    boolean removal = action == TagAction.REMOVED || action == TagAction.REJECTED;
                    carried.put(tag, !removal);
                    events.add(event("c" + c, v, tag, action, removal ? 0 : Math.round(random.nextDouble() * 100) / 100.0, v));
                }
            }
            perContent.add(events);
        }
        List<TagEvent> interleaved = new ArrayList<>();
        int[] next = new int[contents];
        while (interleaved.size() < perContent.stream().mapToInt(List::size).sum()) {
            int c = random.nextInt(contents);
            if (next[c] < perContent.get(c).size()) {
                interleaved.add(perContent.get(c).get(next[c]++));
            }
        }
        return interleaved;
    }

    /** The oracle: each event applied on its own, guarded by tag_version, as the pre-V7 statement did. */
    private static Map<String, String> applyOneByOne(List<TagEvent> log) {
        Map<String, TagEvent> rows = new TreeMap<>();
        Map<String, Instant> taggedAt = new TreeMap<>();
        for (TagEvent e : log) {
            String key = e.contentId() + " " + e.tag();
            TagEvent row = rows.get(key);
            boolean removal = e.action() == TagAction.REMOVED || e.action() == TagAction.REJECTED;
            if (row != null && row.tagVersion() > e.tagVersion()) {
                continue;
            }
            if (removal) {
                rows.remove(key);
                taggedAt.remove(key);
            } else {
                rows.put(key, e);
                taggedAt.putIfAbsent(key, e.occurredAt());
            }
        }
        Map<String, String> table = new TreeMap<>();
        rows.forEach((key, e) -> table.put(key, e.confidence() + " " + e.tagVersion() + " "
                + taggedAt.get(key).toEpochMilli() + " " + e.occurredAt().toEpochMilli()));
        return table;
    }

    private static Map<String, String> contentTags(StackProbe probe) throws Exception {
        Map<String, String> table = new TreeMap<>();
        for (String[] r : probe.query("SELECT content_id, tag, confidence, tag_version, "
                + "(extract(epoch FROM tagged_at) * 1000)::bigint, (extract(epoch FROM updated_at) * 1000)::bigint FROM content_tags")) {
            table.put(r[0] + " " + r[1], Double.parseDouble(r[2]) + " " + r[3] + " " + r[4] + " " + r[5]);
        }
        return table;
    }

    /** A connection like the sink's: autocommit, batches rewritten into multi-row INSERTs. */
    private static Connection rewritingConnection(TagstreamConfig config) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", config.postgres().user());
        properties.setProperty("password", config.postgres().password());
        properties.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(config.postgres().url(), properties);
    }

    private static void send(Connection c, List<TagEvent> batch) throws Exception {
        TagEventStatement statement = new TagEventStatement();
        try (PreparedStatement ps = c.prepareStatement(TagEventStatement.SQL)) {
            for (TagEvent e : batch) {
                statement.accept(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static TagEvent event(String content, long version, String tag, TagAction action, double confidence, int minute) {
        return new TagEvent(TagEventIds.of("acme", content, version, tag, action), "acme", content, version, version, tag,
                "topic", action, confidence, null, TagSource.RULE, "keyword", null, "tx-1", null,
                T0.plusSeconds(60L * minute), T0);
    }

    private static long millis(int minute) {
        return T0.plusSeconds(60L * minute).toEpochMilli();
    }
}
