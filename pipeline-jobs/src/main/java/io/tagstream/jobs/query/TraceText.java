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
import io.tagstream.sinks.trending.TrendingTag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** The trace answers as text for people: one line per tag, change or content. */
final class TraceText {
    private TraceText() {}

    static String render(Object answer) {
        StringBuilder out = new StringBuilder();
        if (answer instanceof ContentTags t) {
            line(out, "%s/%s %s: tag version %d (content version %d%s)%s", t.tenant(), t.contentId(),
                    t.asOf() == null ? "now" : "as of " + t.asOf(), t.tagVersion(), t.contentVersion(),
                    t.changedAt() == null ? "" : ", changed " + t.changedAt(), t.deleted() ? ", deleted" : "");
            if (t.tags().isEmpty()) {
                line(out, "  no tags");
            }
            for (CarriedTag tag : t.tags()) {
                line(out, "  %-32s %-14s %.3f  %-9s since %s  %s%s", tag.tag(), nullToDash(tag.dimension()),
                        tag.confidence(), tag.source(), tag.taggedAt(), nullToDash(tag.reason()),
                        tag.model() == null ? "" : "  [" + tag.model() + "]");
            }
        } else if (answer instanceof ContentHistory h) {
            line(out, "%s/%s: %d change sets", h.tenant(), h.contentId(), h.versions().size());
            for (ContentVersion v : h.versions()) {
                line(out, "  v%d  content v%d  %s%s", v.tagVersion(), v.contentVersion(), v.occurredAt(),
                        v.deleted() ? "  (content deleted)" : "");
                v.changes().forEach(c -> change(out, "      ", c));
            }
        } else if (answer instanceof TagLineage l) {
            line(out, "%s/%s, tag %s: %s, %d changes", l.tenant(), l.contentId(), l.tag(),
                    l.carriedNow() ? "carried now" : "not carried now", l.changes().size());
            l.changes().forEach(c -> change(out, "  v" + c.tagVersion() + "  " + c.occurredAt() + "  ", c));
        } else if (answer instanceof ContentsWithTag p) {
            line(out, "%s, tag %s: %d contents by %s", p.tenant(), p.tag(), p.contents().size(), p.order());
            for (ContentWithTag c : p.contents()) {
                line(out, "  %-32s %.3f  %-9s since %s  v%d", c.contentId(), c.confidence(), c.source(),
                        c.taggedAt(), c.tagVersion());
            }
            if (p.nextCursor() != null) {
                line(out, "next page: --cursor %s", p.nextCursor());
            }
        } else if (answer instanceof TagCount c) {
            line(out, "%s, tag %s: %d contents %s", c.tenant(), c.tag(), c.contents(),
                    c.at() == null ? "now" : "at " + c.at());
        } else if (answer instanceof TagEvolution e) {
            line(out, "%s, tag %s, %s to %s (weight half-life %s)", e.tenant(), e.tag(), e.from(), e.to(), e.halfLife());
            line(out, "  %-10s %6s %8s %8s %9s %10s", "day", "added", "removed", "updated", "contents", "weight");
            for (TagDay d : e.days()) {
                line(out, "  %-10s %6d %8d %8d %9d %10.4f", d.day(), d.added(), d.removed(), d.updated(),
                        d.contents(), d.weight());
            }
        } else if (answer instanceof Trending t) {
            line(out, "%s%s at %s", t.tenant(), t.dimension() == null ? "" : ", dimension " + t.dimension(), t.at());
            line(out, "  heaviest (decayed weight):");
            trending(out, t.top());
            line(out, "  rising fastest (weighted uses per day, recent minus long-run):");
            trending(out, t.rising());
        } else if (answer instanceof Tombstone t) {
            line(out, "erased at %s by %s (%d events purged, last tag version %d)", t.erasedAt(),
                    t.requestedBy(), t.eventsPurged(), t.lastTagVersion());
        } else if (answer instanceof TraceContext.ExportBytes bytes) {
            out.append(new String(bytes.json(), StandardCharsets.UTF_8)).append('\n');
        } else {
            throw new IllegalArgumentException("no text form for " + answer.getClass().getSimpleName());
        }
        return out.toString();
    }

    private static void trending(StringBuilder out, List<TrendingTag> tags) {
        if (tags.isEmpty()) {
            line(out, "    none");
        }
        for (TrendingTag tag : tags) {
            line(out, "    %-32s %-14s weight %10.4f  rising %+9.4f/day  used %d", tag.tag(), nullToDash(tag.dimension()),
                    tag.weight(), tag.risingPerDay(), tag.usageCount());
        }
    }

    private static void change(StringBuilder out, String indent, TagChange c) {
        String confidence = c.previousConfidence() == null
                ? String.format(Locale.ROOT, "%.3f", c.confidence())
                : String.format(Locale.ROOT, "%.3f→%.3f", c.previousConfidence(), c.confidence());
        line(out, "%s%-8s %-32s %-13s by %s%s%s  %s", indent, c.action(), c.tag(), confidence, c.source(),
                c.model() == null ? "" : " " + c.model(), c.taxonomyVersion() == null ? "" : " taxonomy " + c.taxonomyVersion(),
                nullToDash(c.reason()));
    }

    private static String nullToDash(String value) {
        return value == null ? "-" : value;
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
