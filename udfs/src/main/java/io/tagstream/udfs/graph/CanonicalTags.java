package io.tagstream.udfs.graph;

import io.tagstream.udfs.content.DroppedTag;
import io.tagstream.udfs.tagging.TagAssignment;
import java.util.List;

/**
 * The outcome of canonicalisation.
 *
 * @param kept the tags the content carries, canonical ids, at most k per dimension
 * @param dropped what was proposed and not kept, with the reason
 * @param qualityScore the validator's score, 0–100 (valid at 70 and above)
 */
public record CanonicalTags(List<TagAssignment> kept, List<DroppedTag> dropped, int qualityScore) {

    public static final int VALID_SCORE = 70;
}
