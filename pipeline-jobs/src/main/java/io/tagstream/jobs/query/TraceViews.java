package io.tagstream.jobs.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import io.tagstream.sinks.trending.TrendingTag;

/** What the trace queries answer, as the HTTP API sends it (snake_case JSON; absent values left out). */
public final class TraceViews {
    private TraceViews() {}

    /** The minimal record an erased content leaves. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tombstone(String tenant, String contentId, Instant erasedAt, String requestedBy,
            long lastTagVersion, int eventsPurged) {}

    /** One tag a content carries. {@code taxonomyVersion} is known only when rebuilt from the log. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CarriedTag(String tag, String dimension, double confidence, String source, String model,
            String reason, long tagVersion, long contentVersion, String taxonomyVersion, Instant taggedAt,
            Instant updatedAt) {}

    /**
     * A content's tags now ({@code asOf} absent) or as of a moment.
     *
     * @param tagVersion the change set the tags come from; 0 when the content had none yet
     * @param deleted whether that change set deleted the content
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentTags(String tenant, String contentId, Instant asOf, long tagVersion, long contentVersion,
            Instant changedAt, boolean deleted, List<CarriedTag> tags) {}

    /** One tag event, as history shows it: what changed, by which source or model, and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TagChange(long tagVersion, long contentVersion, String tag, String dimension, String action,
            double confidence, Double previousConfidence, String source, String model, String promptVersion,
            String taxonomyVersion, String reason, Instant occurredAt, Instant processedAt) {}

    /** One change set of a content. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentVersion(long tagVersion, long contentVersion, Instant occurredAt, boolean deleted,
            List<TagChange> changes) {}

    public record ContentHistory(String tenant, String contentId, List<ContentVersion> versions) {}

    /** Every change of one tag on one content. */
    public record TagLineage(String tenant, String contentId, String tag, boolean carriedNow, List<TagChange> changes) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentWithTag(String contentId, String dimension, double confidence, String source, String model,
            String reason, long tagVersion, long contentVersion, Instant taggedAt, Instant updatedAt) {}

    /** One page of the contents carrying a tag; {@code nextCursor} fetches the next, absent on the last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentsWithTag(String tenant, String tag, String order, List<ContentWithTag> contents,
            String nextCursor) {}

    /** How many contents carried a tag at a moment (now when {@code at} is absent). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TagCount(String tenant, String tag, Instant at, long contents) {}

    public record TagDay(LocalDate day, int added, int removed, int updated, long contents, double weight) {}

    /** @param halfLife ISO-8601, e.g. {@code PT168H} */
    public record TagEvolution(String tenant, String tag, LocalDate from, LocalDate to, String halfLife,
            List<TagDay> days) {}

    /**
     * The heaviest and the fastest rising tags at {@code at}, from the weights job's {@code tag_stats}
     * ({@code TrendingTagsSql}; see {@code docs/weights.md}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trending(String tenant, String dimension, Instant at, List<TrendingTag> top, List<TrendingTag> rising) {}
}
