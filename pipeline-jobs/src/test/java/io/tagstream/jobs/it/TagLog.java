package io.tagstream.jobs.it;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.sinks.postgres.TagEventStatement;
import io.tagstream.udfs.content.ContentTagDiff;
import io.tagstream.udfs.content.ContentTagReplay;
import io.tagstream.udfs.content.TagEventIds;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes tag events as the tagging job would: each change set computed by the job's own
 * {@link ContentTagDiff} from scripted tag sets, and stored with the job's sink statement
 * {@link TagEventStatement} (so {@code content_tags} is maintained exactly as in production).
 * Taxonomy merges are written as the knowledge-graph job is to write them: the old tag
 * {@code REMOVED} and the new one {@code ADDED} in one change set, source {@code taxonomy}.
 */
final class TagLog {
    static final String TAXONOMY = "tx-test-1";

    private final Connection c;
    private final Map<String, ContentTagReplay> contents = new HashMap<>();

    TagLog(Connection c) {
        this.c = c;
    }

    static TagAssignment tag(String tag, double confidence) {
        return new TagAssignment(tag, tag.substring(0, tag.indexOf("::")), confidence, TagSource.RULE, "keywords/1",
                "matched " + tag.substring(tag.indexOf("::") + 2));
    }

    List<TagEvent> upsert(String tenant, String contentId, long contentVersion, Instant at, TagAssignment... tags)
            throws SQLException {
        return change(tenant, contentId, contentVersion, ContentOp.UPSERT, at, List.of(tags));
    }

    List<TagEvent> delete(String tenant, String contentId, long contentVersion, Instant at) throws SQLException {
        return change(tenant, contentId, contentVersion, ContentOp.DELETE, at, List.of());
    }

    /** The taxonomy merged {@code from} into {@code into}: the content's {@code from} becomes {@code into}. */
    List<TagEvent> merge(String tenant, String contentId, String from, String into, Instant at) throws SQLException {
        ContentTagReplay replay = contents.get(tenant + "/" + contentId);
        TagAssignment old = replay.current().get(from);
        long version = replay.tagVersion() + 1;
        String reason = "taxonomy merged " + from + " into " + into;
        List<TagEvent> events = List.of(
                new TagEvent(TagEventIds.of(tenant, contentId, version, from, TagAction.REMOVED), tenant, contentId,
                        replay.contentVersion(), version, from, old.dimension(), TagAction.REMOVED, 0.0, old.confidence(),
                        TagSource.TAXONOMY, null, null, "tx-test-2", reason, at, at),
                new TagEvent(TagEventIds.of(tenant, contentId, version, into, TagAction.ADDED), tenant, contentId,
                        replay.contentVersion(), version, into, old.dimension(), TagAction.ADDED, old.confidence(), null,
                        TagSource.TAXONOMY, null, null, "tx-test-2", reason, at, at));
        write(events);
        replay.applyAll(events);
        return events;
    }

    private List<TagEvent> change(String tenant, String contentId, long contentVersion, ContentOp op, Instant at,
            List<TagAssignment> tags) throws SQLException {
        ContentTagReplay replay = contents.computeIfAbsent(tenant + "/" + contentId, k -> new ContentTagReplay());
        ContentEvent event = new ContentEvent("e-" + contentId + "-" + contentVersion, tenant, contentId, op,
                contentVersion, at, "title", "body", "en", null, null, null);
        List<TagEvent> events = ContentTagDiff.diff(replay.current(), replay.tagVersion(),
                        new TaggedContent(event, new ArrayList<>(tags), TAXONOMY), at.plusMillis(5))
                .orElseThrow(() -> new IllegalStateException("no change for " + contentId))
                .events();
        write(events);
        replay.applyAll(events);
        return events;
    }

    /** Stores events with the tagging job's sink statement. */
    void write(List<TagEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TagEventStatement.SQL)) {
            TagEventStatement statement = new TagEventStatement();
            for (TagEvent e : events) {
                statement.accept(ps, e);
                ps.executeUpdate();
            }
        }
    }
}
