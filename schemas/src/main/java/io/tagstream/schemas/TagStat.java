package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Weight and usage of one tag in one tenant, as of the event time {@code updatedAt}; see
 * {@code schemas/tag-stat.schema.json} and {@code docs/weights.md}.
 *
 * @param weight decayed with {@code halfLifeMs} to {@code updatedAt}; decay it further to any later
 *     time {@code T} as {@code weight * 2^(-(T - updatedAt) / halfLifeMs)}
 * @param trendWeight the same sum decayed with the shorter {@code trendHalfLifeMs}; comparing the
 *     two tells a rising tag from a fading one
 * @param usageGain {@code log(1 + usageCount)}
 * @param lastUsed event time of the latest use; {@code null} if the tag has only seen feedback
 * @param feedbackScore in (-1, 1): {@code (positive - negative) / (positive + negative + 2)}
 * @param topCooccurring always empty for now: co-occurrence is counted by the knowledge graph
 * @param updatedAt event time of the latest event applied: the time the weights refer to
 * @param decayRank {@code log2(weight) + updatedAt / halfLifeMs} (ms): ordering by it is ordering by
 *     weight decayed to any common later time; {@code null} when the weight is 0
 * @param trendRank the same for the trend weight, with {@code trendHalfLifeMs}
 * @param version orders the stats of one tag: newer wins in every store
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@TypeInfo(RecordTypeInfoFactory.class)
public record TagStat(
        String tenant,
        String tag,
        String dimension,
        double weight,
        double trendWeight,
        long usageCount,
        double usageGain,
        Instant lastUsed,
        double feedbackScore,
        List<String> topCooccurring,
        Instant updatedAt,
        long halfLifeMs,
        long trendHalfLifeMs,
        Double decayRank,
        Double trendRank,
        long version) {

    public TagStat {
        topCooccurring = topCooccurring == null ? new ArrayList<>() : new ArrayList<>(topCooccurring);
    }
}
