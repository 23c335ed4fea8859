package io.tagstream.jobs.query;

import io.tagstream.jobs.query.TagQueries.ContentFilter;
import io.tagstream.jobs.query.TagQueries.Order;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The queries users can ask, each with the parameters it takes. The HTTP API and the command line
 * both end here, so a parameter means, and is checked, the same in both.
 */
public enum TraceQuery {
    /** A content's tags now, or {@code as_of} a moment. */
    CONTENT_TAGS(Set.of("as_of")),
    /** Every change set of a content. */
    CONTENT_HISTORY(Set.of()),
    /** Every change of one tag on one content. */
    TAG_LINEAGE(Set.of()),
    /** Everything stored about one content. */
    CONTENT_EXPORT(Set.of()),
    /** The contents carrying a tag, ranked, filtered and paged. */
    TAG_CONTENTS(Set.of("min_confidence", "dimension", "since", "until", "order", "limit", "cursor")),
    /** How many contents carried a tag at a moment. */
    TAG_COUNT(Set.of("at")),
    /** A tag day by day: uses, removals, contents carrying it, decayed weight. */
    TAG_EVOLUTION(Set.of("from", "to", "half_life")),
    /** The heaviest and the fastest rising tags of a tenant. */
    TRENDING(Set.of("dimension", "limit", "at"));

    static final int MAX_PAGE = 500;
    static final int MAX_EVOLUTION_DAYS = 366;

    private final Set<String> parameters;

    TraceQuery(Set<String> parameters) {
        this.parameters = parameters;
    }

    public Set<String> parameters() {
        return parameters;
    }

    /**
     * Checks the request and answers it.
     *
     * @param contentId required by the content queries, ignored otherwise
     * @param tag required by the tag queries and lineage, ignored otherwise
     * @return one of {@link TraceViews}, or the export's bytes
     */
    public Object run(TraceContext context, String tenant, String contentId, String tag, Map<String, String> values)
            throws SQLException, IOException, InterruptedException {
        QueryParams params = QueryParams.of(values, parameters);
        QueryParams.identifier("tenant", tenant);
        TagQueries queries = new TagQueries(context.connection());
        Instant now = context.clock().instant();
        return switch (this) {
            case CONTENT_TAGS -> {
                Optional<Instant> asOf = params.instant("as_of");
                QueryParams.identifier("content_id", contentId);
                yield asOf.isPresent()
                        ? queries.contentTags(tenant, contentId, asOf.get())
                        : queries.contentTags(tenant, contentId);
            }
            case CONTENT_HISTORY -> queries.history(tenant, QueryParams.identifier("content_id", contentId));
            case TAG_LINEAGE -> queries.lineage(tenant, QueryParams.identifier("content_id", contentId),
                    QueryParams.identifier("tag", tag));
            case CONTENT_EXPORT -> context.export(tenant, QueryParams.identifier("content_id", contentId));
            case TAG_CONTENTS -> {
                QueryParams.identifier("tag", tag);
                Optional<Instant> since = params.instant("since");
                Optional<Instant> until = params.instant("until");
                if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
                    throw QueryException.badRequest("since must be before until");
                }
                yield queries.contentsWithTag(tenant, tag, new ContentFilter(params.fraction("min_confidence"),
                        params.identifier("dimension"), since, until, params.choice("order", Order.class, Order.CONFIDENCE),
                        params.integer("limit", 50, 1, MAX_PAGE), params.raw("cursor")));
            }
            case TAG_COUNT -> queries.count(tenant, QueryParams.identifier("tag", tag), params.instant("at"));
            case TAG_EVOLUTION -> {
                QueryParams.identifier("tag", tag);
                LocalDate to = day(params.instant("to").orElse(now));
                LocalDate from = day(params.instant("from").orElse(to.minusDays(29).atStartOfDay(ZoneOffset.UTC).toInstant()));
                if (from.isAfter(to)) {
                    throw QueryException.badRequest("from must not be after to");
                }
                if (from.plusDays(MAX_EVOLUTION_DAYS).isBefore(to.plusDays(1))) {
                    throw QueryException.badRequest("from and to may span at most " + MAX_EVOLUTION_DAYS + " days");
                }
                yield queries.evolution(tenant, tag, from, to,
                        params.duration("half_life", Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofDays(3650)));
            }
            case TRENDING -> queries.trending(tenant, params.identifier("dimension"), params.integer("limit", 10, 1, 100),
                    params.instant("at").orElse(now));
        };
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
