package io.tagstream.jobs.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.sinks.elasticsearch.IndexAction;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.sinks.postgres.TagEventRows;
import io.tagstream.udfs.content.ContentTagReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.java.utils.ParameterTool;

/**
 * {@code tagstream rebuild}: rebuilds the views of the log from the log. {@code content_tags} is
 * recomputed in SQL in one transaction (writers of it wait meanwhile; readers go on); the contents
 * index gets every content's document, rebuilt by replaying its events in Java
 * ({@link ContentTagReplay}), and every erased content's tombstone document. The two
 * computations are independent, so the counts they must agree on verify both: the rows of
 * {@code content_tags}, the tags the replay found, and the tag ids and documents in the index.
 *
 * <p>Safe while the tagging job runs: the documents are versioned writes, so the newer of the
 * job's and the rebuild's wins. The counts may then differ by what the job wrote meanwhile.
 */
public final class ViewRebuild {
    private static final int BATCH = 500;
    private static final int PROGRESS_EVERY = 10_000;

    /** What a rebuild wrote and what it found. */
    public record Result(long contentTagRows, long contents, long carriedTags, long tombstones, long events,
            long indexedDocuments, long indexedTagIds) {

        public boolean verified() {
            return contentTagRows == carriedTags && indexedDocuments == contents + tombstones
                    && indexedTagIds == carriedTags;
        }
    }

    private final PostgresConnection postgres;
    private final ElasticsearchBulk elasticsearch;
    private final String contentsIndex;
    private final Consumer<String> progress;

    public ViewRebuild(PostgresConnection postgres, ElasticsearchBulk elasticsearch, String contentsIndex,
            Consumer<String> progress) {
        this.postgres = postgres;
        this.elasticsearch = elasticsearch;
        this.contentsIndex = contentsIndex;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        ViewRebuild rebuild = new ViewRebuild(config.postgres(), new ElasticsearchBulk(config.get("elasticsearch.url")),
                config.get("elasticsearch.index-prefix") + "contents", line -> System.out.println("rebuild: " + line));
        Result result = rebuild.run(params.has("recreate-index"));
        if (!result.verified()) {
            System.out.println("rebuild: the counts do not agree (see above). If the tagging job was writing, run "
                    + "again when it is idle; documents the log does not know are removed by --recreate-index");
            System.exit(1);
        }
        System.out.println("rebuild: verified against the log");
    }

    /** @param recreateIndex delete the contents index first, so that nothing but the log's documents remain */
    public Result run(boolean recreateIndex) throws SQLException, IOException, InterruptedException {
        long rows = rebuildContentTags();
        if (recreateIndex) {
            elasticsearch.deleteIndex(contentsIndex);
            progress.accept("deleted index " + contentsIndex);
        }
        long[] indexed = reindexContents();
        long tombstones = indexTombstones();
        elasticsearch.refresh(contentsIndex);
        long documents = elasticsearch.count(contentsIndex);
        long tagIds = documents == 0 ? 0 : indexedTagIds();
        Result result = new Result(rows, indexed[0], indexed[1], tombstones, indexed[2], documents, tagIds);
        progress.accept(String.format("content_tags has %d rows; the log's replay carries %d tags on %d contents "
                        + "(%d events), %d erased", rows, result.carriedTags(), result.contents(), result.events(), tombstones));
        progress.accept(String.format("%s has %d documents (expected %d) with %d tag ids (expected %d)", contentsIndex,
                documents, result.contents() + tombstones, tagIds, result.carriedTags()));
        return result;
    }

    /** Replaces {@code content_tags} by what the log implies, in one transaction; returns its rows. */
    public long rebuildContentTags() throws SQLException {
        try (Connection c = postgres.open(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // tag_events and content_tags are written in one statement (V7's trigger), so once it holds this
            // lock no event can be logged without being in what the INSERT below reads.
            s.execute("LOCK TABLE content_tags IN EXCLUSIVE MODE");
            s.execute("DELETE FROM content_tags");
            long rows = s.executeUpdate("""
                    INSERT INTO content_tags (tenant, content_id, tag, dimension, confidence, source, model, reason,
                                              content_version, tag_version, tagged_at, updated_at)
                    SELECT tenant, content_id, tag, dimension, confidence, source, model, reason,
                           content_version, tag_version, run_started_at, occurred_at
                    FROM (
                        SELECT *, first_value(occurred_at) OVER (
                                      PARTITION BY tenant, content_id, tag, removals_before ORDER BY tag_version
                                  ) AS run_started_at,
                               row_number() OVER (PARTITION BY tenant, content_id, tag ORDER BY tag_version DESC) AS newest
                        FROM (
                            -- a tag's runs on a content: each removal ends one, the next event starts another
                            SELECT *, coalesce(count(*) FILTER (WHERE action IN ('REMOVED', 'REJECTED')) OVER (
                                          PARTITION BY tenant, content_id, tag ORDER BY tag_version
                                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS removals_before
                            FROM tag_events
                        ) counted
                    ) runs
                    WHERE newest = 1 AND action NOT IN ('REMOVED', 'REJECTED')""");
            c.commit();
            progress.accept("content_tags rebuilt from tag_events: " + rows + " rows");
            return rows;
        }
    }

    /** Indexes every content's document; returns {contents, carried tags, events}. */
    private long[] reindexContents() throws SQLException, IOException, InterruptedException {
        ContentDocuments documents = new ContentDocuments(contentsIndex);
        List<IndexAction> batch = new ArrayList<>();
        long contents = 0;
        long carried = 0;
        long events = 0;
        try (Connection c = postgres.open()) {
            c.setAutoCommit(false);
            try (PreparedStatement q = c.prepareStatement("SELECT " + TagEventRows.COLUMNS
                    + " FROM tag_events ORDER BY tenant, content_id, tag_version")) {
                q.setFetchSize(5_000);
                try (ResultSet rs = q.executeQuery()) {
                    ContentTagReplay replay = new ContentTagReplay();
                    String key = null;
                    while (rs.next()) {
                        TagEvent event = TagEventRows.read(rs);
                        events++;
                        if (key != null && !key.equals(event.contentKey())) {
                            carried += replay.tags().size();
                            batch.add(documents.apply(replay.state(), null));
                            contents++;
                            flushIfFull(batch, contents);
                            replay = new ContentTagReplay();
                        }
                        key = event.contentKey();
                        replay.apply(event);
                    }
                    if (key != null) {
                        carried += replay.tags().size();
                        batch.add(documents.apply(replay.state(), null));
                        contents++;
                    }
                }
            }
            c.commit();
        }
        elasticsearch.index(batch);
        progress.accept(contents + " content documents indexed into " + contentsIndex);
        return new long[] {contents, carried, events};
    }

    private void flushIfFull(List<IndexAction> batch, long contents) throws IOException, InterruptedException {
        if (batch.size() >= BATCH) {
            elasticsearch.index(batch);
            batch.clear();
        }
        if (contents % PROGRESS_EVERY == 0) {
            progress.accept(contents + " contents indexed");
        }
    }

    private long indexTombstones() throws SQLException, IOException, InterruptedException {
        ContentDocuments documents = new ContentDocuments(contentsIndex);
        List<IndexAction> batch = new ArrayList<>();
        try (Connection c = postgres.open();
                PreparedStatement q = c.prepareStatement(
                        "SELECT tenant, content_id, last_tag_version, erased_at FROM content_erasures");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                batch.add(documents.erased(rs.getString(1), rs.getString(2), rs.getLong(3), TagEventRows.instant(rs, 4)));
            }
        }
        elasticsearch.index(batch);
        if (!batch.isEmpty()) {
            progress.accept(batch.size() + " erased contents kept erased in " + contentsIndex);
        }
        return batch.size();
    }

    private long indexedTagIds() throws IOException, InterruptedException {
        ObjectNode query = Json.mapper().createObjectNode().put("size", 0);
        query.putObject("aggs").putObject("tag_ids").putObject("value_count").put("field", "tag_ids");
        JsonNode answer = elasticsearch.search(contentsIndex, query);
        return answer.path("aggregations").path("tag_ids").path("value").asLong();
    }
}
