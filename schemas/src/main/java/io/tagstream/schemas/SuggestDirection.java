package io.tagstream.schemas;

import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One proposed direction of a suggestion session: a title, its validated tags across dimensions,
 * and the validator's score (0–100; {@code valid} at 70 and above).
 */
@TypeInfo(RecordTypeInfoFactory.class)
public record SuggestDirection(String title, List<SuggestedTag> tags, int qualityScore, boolean valid) {

    public SuggestDirection {
        tags = tags == null ? new ArrayList<>() : new ArrayList<>(tags);
    }

    public boolean hasTag(String tag) {
        return tags.stream().anyMatch(t -> t.tag().equals(tag));
    }
}
