package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** Weight and usage of one tag in one tenant; see {@code schemas/tag-stat.schema.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@TypeInfo(RecordTypeInfoFactory.class)
public record TagStat(
        String tenant,
        String tag,
        String dimension,
        double weight,
        long usageCount,
        double usageGain,
        Instant lastUsed,
        double feedbackScore,
        List<String> topCooccurring,
        Instant updatedAt) {

    public TagStat {
        topCooccurring = topCooccurring == null ? new ArrayList<>() : new ArrayList<>(topCooccurring);
    }
}
