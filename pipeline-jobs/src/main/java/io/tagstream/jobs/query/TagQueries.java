package io.tagstream.jobs.query;

import io.tagstream.jobs.query.TraceViews.CarriedTag;
import io.tagstream.jobs.query.TraceViews.ContentHistory;
import io.tagstream.jobs.query.TraceViews.ContentTags;
import io.tagstream.jobs.query.TraceViews.ContentVersion;
import io.tagstream.jobs.query.TraceViews.ContentWithTag;
import io.tagstream.jobs.query.TraceViews.ContentsWithTag;
import io.tagstream.jobs.query.TraceViews.TagChange;
import io.tagstream.jobs.query.TraceViews.TagCount;
import io.tagstream.jobs.query.TraceViews.TagDay;
import io.tagstream.jobs.query.TraceViews.TagEvolution;
import io.tagstream.jobs.query.TraceViews.TagLineage;
import io.tagstream.jobs.query.TraceViews.Tombstone;
import io.tagstream.jobs.query.TraceViews.Trending;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.sinks.postgres.TagEventRows;
import io.tagstream.sinks.trending.TrendingTagsSql;
import io.tagstream.udfs.content.ContentTagDiff;
import io.tagstream.udfs.content.ContentTagReplay;
import io.tagstream.udfs.trace.TagUsageSeries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The trace queries, both ways, on PostgreSQL: content → tags (now from {@code content_tags}, as
 * of any moment and with full history from the log {@code tag_events}) and tag → contents. Every
 * statement is bound to one tenant.
 *
 * <p>"As of T" means: the content's change sets that had occurred by T ({@code occurred_at ≤ T},
 * event time), applied in tag-version order.
 */
public final class TagQueries {
    private static final String REMOVALS = "('REMOVED', 'REJECTED')";

    /** How tag → contents is ranked. */
    public enum Order { CONFIDENCE, RECENCY }

    /** Which contents tag → contents returns; absent values do not filter. */
    public record ContentFilter(Optional<Double> minConfidence, Optional<String> dimension, Optional<Instant> since,
            Optional<Instant> until, Order order, int limit, Optional<String> cursor) {}

    private final Connection c;

    public TagQueries(Connection c) {
        this.c = c;
    }

    // ---- content -> tags ----------------------------------------------------------------------

    /** The content's tags now, as {@code content_tags} holds them. */
    public ContentTags contentTags(String tenant, String contentId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                SELECT l.tag_version, l.content_version, l.occurred_at, l.action, l.reason,
                       ct.tag, ct.dimension, ct.confidence, ct.source, ct.model, ct.reason,
                       ct.tag_version, ct.content_version, ct.tagged_at, ct.updated_at
                FROM (SELECT tag_version, content_version, occurred_at, action, reason FROM tag_events
                      WHERE tenant = ? AND content_id = ? ORDER BY tag_version DESC LIMIT 1) l
                LEFT JOIN content_tags ct ON ct.tenant = ? AND ct.content_id = ?
                ORDER BY ct.dimension, ct.confidence DESC, ct.tag""")) {
            bind(q, tenant, contentId, tenant, contentId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw missing(tenant, contentId);
                }
                long tagVersion = rs.getLong(1);
                long contentVersion = rs.getLong(2);
                Instant changedAt = TagEventRows.instant(rs, 3);
                boolean deleted = rs.getString(4).equals(TagAction.REMOVED.name())
                        && ContentTagDiff.CONTENT_DELETED.equals(rs.getString(5));
                List<CarriedTag> tags = new ArrayList<>();
                do {
                    if (rs.getString(6) != null) {
                        tags.add(new CarriedTag(rs.getString(6), rs.getString(7), rs.getDouble(8), rs.getString(9),
                                rs.getString(10), rs.getString(11), rs.getLong(12), rs.getLong(13), null,
                                TagEventRows.instant(rs, 14), TagEventRows.instant(rs, 15)));
                    }
                } while (rs.next());
                return new ContentTags(tenant, contentId, null, tagVersion, contentVersion, changedAt, deleted, tags);
            }
        }
    }

    /** The content's tags as of {@code asOf}, rebuilt from the log. */
    public ContentTags contentTags(String tenant, String contentId, Instant asOf) throws SQLException {
        List<TagEvent> events = events(tenant, contentId, null);
        ContentTagReplay replay = new ContentTagReplay();
        for (TagEvent event : events) {
            if (!event.occurredAt().isAfter(asOf)) {
                replay.apply(event);
            }
        }
        List<CarriedTag> tags = new ArrayList<>();
        for (ContentTagReplay.CarriedTag carried : replay.tags()) {
            TagEvent e = carried.latest();
            tags.add(new CarriedTag(e.tag(), e.dimension(), e.confidence(), e.source().wireName(), e.model(),
                    e.reason(), e.tagVersion(), e.contentVersion(), e.taxonomyVersion(), carried.since(), e.occurredAt()));
        }
        tags.sort(Comparator.comparing((CarriedTag t) -> t.dimension() == null ? "" : t.dimension())
                .thenComparing(CarriedTag::confidence, Comparator.reverseOrder())
                .thenComparing(CarriedTag::tag));
        return new ContentTags(tenant, contentId, asOf, replay.tagVersion(), replay.contentVersion(),
                replay.occurredAt(), replay.deleted(), tags);
    }

    /** Every change set of the content, oldest first. */
    public ContentHistory history(String tenant, String contentId) throws SQLException {
        List<ContentVersion> versions = new ArrayList<>();
        List<TagChange> changes = new ArrayList<>();
        ContentTagReplay replay = new ContentTagReplay();
        List<TagEvent> events = events(tenant, contentId, null);
        for (int i = 0; i < events.size(); i++) {
            TagEvent e = events.get(i);
            replay.apply(e);
            changes.add(change(e));
            if (i + 1 == events.size() || events.get(i + 1).tagVersion() != e.tagVersion()) {
                versions.add(new ContentVersion(e.tagVersion(), e.contentVersion(), e.occurredAt(), replay.deleted(),
                        changes));
                changes = new ArrayList<>();
            }
        }
        return new ContentHistory(tenant, contentId, versions);
    }

    /** Every change of one tag on the content, oldest first. */
    public TagLineage lineage(String tenant, String contentId, String tag) throws SQLException {
        List<TagEvent> events = events(tenant, contentId, tag);
        List<TagChange> changes = events.stream().map(TagQueries::change).toList();
        boolean carried = !events.isEmpty() && isCarried(events.get(events.size() - 1).action());
        return new TagLineage(tenant, contentId, tag, carried, changes);
    }

    // ---- tag -> contents ----------------------------------------------------------------------

    /** One page of the contents that carry the tag now, best first. */
    public ContentsWithTag contentsWithTag(String tenant, String tag, ContentFilter filter) throws SQLException {
        String rankColumn = filter.order() == Order.CONFIDENCE ? "confidence" : "tagged_at";
        StringBuilder sql = new StringBuilder("""
                SELECT content_id, dimension, confidence, source, model, reason, tag_version, content_version,
                       tagged_at, updated_at
                FROM content_tags WHERE tenant = ? AND tag = ?""");
        List<Object> args = new ArrayList<>(List.of(tenant, tag));
        filter.minConfidence().ifPresent(v -> { sql.append(" AND confidence >= ?"); args.add(v); });
        filter.dimension().ifPresent(v -> { sql.append(" AND dimension = ?"); args.add(v); });
        filter.since().ifPresent(v -> { sql.append(" AND tagged_at >= ?"); args.add(Timestamp.from(v)); });
        filter.until().ifPresent(v -> { sql.append(" AND tagged_at < ?"); args.add(Timestamp.from(v)); });
        if (filter.cursor().isPresent()) {
            PageCursor after = PageCursor.decode(filter.cursor().get(), filter.order());
            sql.append(" AND (").append(rankColumn).append(", content_id) < (?, ?)");
            args.add(filter.order() == Order.CONFIDENCE ? (Object) after.confidence() : Timestamp.from(after.taggedAt()));
            args.add(after.contentId());
        }
        sql.append(" ORDER BY ").append(rankColumn).append(" DESC, content_id DESC LIMIT ?");
        args.add(filter.limit() + 1);

        List<ContentWithTag> contents = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql.toString())) {
            bind(q, args.toArray());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    contents.add(new ContentWithTag(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8),
                            TagEventRows.instant(rs, 9), TagEventRows.instant(rs, 10)));
                }
            }
        }
        String next = null;
        if (contents.size() > filter.limit()) {
            contents = contents.subList(0, filter.limit());
            ContentWithTag last = contents.get(contents.size() - 1);
            next = PageCursor.after(filter.order(), last).encode();
        }
        return new ContentsWithTag(tenant, tag, filter.order().name().toLowerCase(java.util.Locale.ROOT),
                List.copyOf(contents), next);
    }

    /** How many contents carried the tag at {@code at}, or now when absent, counted from the log. */
    public TagCount count(String tenant, String tag, Optional<Instant> at) throws SQLException {
        String sql = "SELECT count(*) FROM (SELECT DISTINCT ON (content_id) action FROM tag_events "
                + "WHERE tenant = ? AND tag = ?" + (at.isPresent() ? " AND occurred_at <= ?" : "")
                + " ORDER BY content_id, tag_version DESC) latest WHERE action NOT IN " + REMOVALS;
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, at.isPresent() ? new Object[] {tenant, tag, Timestamp.from(at.get())} : new Object[] {tenant, tag});
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new TagCount(tenant, tag, at.orElse(null), rs.getLong(1));
            }
        }
    }

    /** The tag day by day from {@code from} to {@code to} (UTC dates, both included). */
    public TagEvolution evolution(String tenant, String tag, LocalDate from, LocalDate to, Duration halfLife)
            throws SQLException {
        List<TagUsageSeries.Use> uses = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("""
                SELECT content_id, tag_version, action, confidence, occurred_at FROM tag_events
                WHERE tenant = ? AND tag = ? AND occurred_at < ?
                ORDER BY occurred_at, content_id, tag_version""")) {
            bind(q, tenant, tag, Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            q.setFetchSize(10_000);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    uses.add(new TagUsageSeries.Use(rs.getString(1), rs.getLong(2), TagAction.valueOf(rs.getString(3)),
                            rs.getDouble(4), TagEventRows.instant(rs, 5)));
                }
            }
        }
        List<TagDay> days = TagUsageSeries.days(uses, from, to, halfLife).stream()
                .map(d -> new TagDay(d.day(), d.added(), d.removed(), d.updated(), d.contents(), d.weight()))
                .toList();
        return new TagEvolution(tenant, tag, from, to, halfLife.toString(), days);
    }

    // ---- trending -----------------------------------------------------------------------------

    /** The tenant's heaviest and fastest rising tags at {@code at}, as the weights job stored them. */
    public Trending trending(String tenant, Optional<String> dimension, int limit, Instant at) throws SQLException {
        String inDimension = dimension.orElse(null);
        return new Trending(tenant, inDimension, at, TrendingTagsSql.topByWeight(c, tenant, inDimension, at, limit),
                TrendingTagsSql.risingFastest(c, tenant, inDimension, at, limit));
    }

    // ---- shared -------------------------------------------------------------------------------

    /** The content's tombstone, if it was erased. */
    public Optional<Tombstone> tombstone(String tenant, String contentId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                SELECT erased_at, requested_by, last_tag_version, events_purged FROM content_erasures
                WHERE tenant = ? AND content_id = ?""")) {
            bind(q, tenant, contentId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Tombstone(tenant, contentId, TagEventRows.instant(rs, 1), rs.getString(2),
                        rs.getLong(3), rs.getInt(4)));
            }
        }
    }

    /** The events of a content (of one tag, unless {@code tag} is null) in version order; 404/410 when none. */
    private List<TagEvent> events(String tenant, String contentId, String tag) throws SQLException {
        List<TagEvent> events = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT " + TagEventRows.COLUMNS
                + " FROM tag_events WHERE tenant = ? AND content_id = ?" + (tag == null ? "" : " AND tag = ?")
                + " ORDER BY tag_version, tag, action")) {
            bind(q, tag == null ? new Object[] {tenant, contentId} : new Object[] {tenant, contentId, tag});
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    events.add(TagEventRows.read(rs));
                }
            }
        }
        if (events.isEmpty() && (tag == null || !exists(tenant, contentId))) {
            throw missing(tenant, contentId);
        }
        return events;
    }

    private boolean exists(String tenant, String contentId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT 1 FROM tag_events WHERE tenant = ? AND content_id = ? LIMIT 1")) {
            bind(q, tenant, contentId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A content with no events: erased (410) or never tagged (404). */
    private QueryException missing(String tenant, String contentId) throws SQLException {
        Optional<Tombstone> tombstone = tombstone(tenant, contentId);
        if (tombstone.isPresent()) {
            return QueryException.erased("content '" + contentId + "' of tenant '" + tenant + "' was erased at "
                    + tombstone.get().erasedAt(), tombstone.get());
        }
        return QueryException.notFound("tenant '" + tenant + "' has no tag events for content '" + contentId + "'");
    }

    private static boolean isCarried(TagAction action) {
        return action != TagAction.REMOVED && action != TagAction.REJECTED;
    }

    private static TagChange change(TagEvent e) {
        return new TagChange(e.tagVersion(), e.contentVersion(), e.tag(), e.dimension(), e.action().name(),
                e.confidence(), e.previousConfidence(), e.source().wireName(), e.model(), e.promptVersion(),
                e.taxonomyVersion(), e.reason(), e.occurredAt(), e.processedAt());
    }

    private static void bind(PreparedStatement q, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            q.setObject(i + 1, args[i]);
        }
    }
}
