package io.tagstream.sinks.trending;

import io.tagstream.schemas.TagStat;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trending tags from PostgreSQL {@code tag_stats}: the heaviest tags and the fastest rising ones
 * of a tenant, in one dimension or all, as of a given time. See {@code docs/weights.md}.
 */
public final class TrendingTagsSql {
    private static final String COLUMNS = "tenant, tag, dimension, weight, trend_weight, usage_count, usage_gain, "
            + "last_used, feedback_score, top_cooccurring, updated_at, half_life_ms, trend_half_life_ms, decay_rank, "
            + "trend_rank, version";
    /**
     * Beyond 900 half-lives a weight reads as 0: PostgreSQL raises an error where a product of
     * doubles underflows to 0, and 2^-900 keeps every product clear of that.
     */
    private static final String DECAYED = "CASE WHEN age_ms / %1$s > 900 THEN 0 ELSE %2$s * power(2, -age_ms / %1$s) END";

    private TrendingTagsSql() {}

    /**
     * Parameters: tenant, [dimension,] limit. Ordered by {@code decay_rank}, which orders by weight
     * decayed to any time at or after the rows' {@code updated_at}: served by an index, no row is
     * decayed to rank it.
     */
    public static String topByWeight(boolean inDimension) {
        return "SELECT " + COLUMNS + " FROM tag_stats WHERE tenant = ?" + (inDimension ? " AND dimension = ?" : "")
                + " AND decay_rank IS NOT NULL ORDER BY decay_rank DESC NULLS LAST, tag LIMIT ?";
    }

    /**
     * Parameters: time, tenant, [dimension,] limit. Decays every row of the tenant (and dimension)
     * to the time and keeps the tags rising by at least {@link TrendingTag#MIN_RISING_PER_DAY},
     * fastest first.
     */
    public static String risingFastest(boolean inDimension) {
        String weight = String.format(DECAYED, "half_life_ms", "weight");
        String trend = String.format(DECAYED, "trend_half_life_ms", "trend_weight");
        return "WITH aged AS (SELECT " + COLUMNS + ", "
                + "GREATEST(0, EXTRACT(EPOCH FROM (CAST(? AS timestamptz) - updated_at))::double precision * 1000) AS age_ms"
                + " FROM tag_stats WHERE tenant = ?" + (inDimension ? " AND dimension = ?" : "") + "),"
                + " scored AS (SELECT " + COLUMNS + ", ln(2) * 86400000 * ((" + trend + ") / trend_half_life_ms - ("
                + weight + ") / half_life_ms) AS rising_per_day FROM aged)"
                + " SELECT " + COLUMNS + " FROM scored WHERE rising_per_day >= " + TrendingTag.MIN_RISING_PER_DAY
                + " ORDER BY rising_per_day DESC, tag LIMIT ?";
    }

    /** The {@code limit} heaviest tags of {@code tenant} at {@code at}; {@code dimension} null for all. */
    public static List<TrendingTag> topByWeight(Connection c, String tenant, String dimension, Instant at, int limit)
            throws SQLException {
        return run(c, topByWeight(dimension != null), at, params(null, tenant, dimension, limit));
    }

    /** The {@code limit} fastest rising tags of {@code tenant} at {@code at}; {@code dimension} null for all. */
    public static List<TrendingTag> risingFastest(Connection c, String tenant, String dimension, Instant at, int limit)
            throws SQLException {
        return run(c, risingFastest(dimension != null), at, params(Timestamp.from(at), tenant, dimension, limit));
    }

    private static Object[] params(Timestamp at, String tenant, String dimension, int limit) {
        List<Object> params = new ArrayList<>();
        if (at != null) {
            params.add(at);
        }
        params.add(tenant);
        if (dimension != null) {
            params.add(dimension);
        }
        params.add(limit);
        return params.toArray();
    }

    private static List<TrendingTag> run(Connection c, String sql, Instant at, Object[] params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setObject(i + 1, params[i]);
            }
            List<TrendingTag> tags = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    tags.add(TrendingTag.of(stat(rs), at));
                }
            }
            return tags;
        }
    }

    /** The current row of a query that selects every column of {@code tag_stats}. */
    public static TagStat stat(ResultSet rs) throws SQLException {
        Timestamp lastUsed = rs.getTimestamp("last_used");
        Array cooccurring = rs.getArray("top_cooccurring");
        return new TagStat(
                rs.getString("tenant"),
                rs.getString("tag"),
                rs.getString("dimension"),
                rs.getDouble("weight"),
                rs.getDouble("trend_weight"),
                rs.getLong("usage_count"),
                rs.getDouble("usage_gain"),
                lastUsed == null ? null : lastUsed.toInstant(),
                rs.getDouble("feedback_score"),
                Arrays.asList((String[]) cooccurring.getArray()),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("half_life_ms"),
                rs.getLong("trend_half_life_ms"),
                nullableDouble(rs, "decay_rank"),
                nullableDouble(rs, "trend_rank"),
                rs.getLong("version"));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
