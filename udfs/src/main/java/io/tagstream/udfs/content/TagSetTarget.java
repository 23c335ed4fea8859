package io.tagstream.udfs.content;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The tag set a content should carry next, and how to explain the tags it loses.
 *
 * @param removalReasons why particular tags go (default: no longer proposed / content deleted)
 * @param removalSource the source stamped on removals ({@code null}: the removed tag's own source)
 */
public record TagSetTarget(
        String tenant,
        String contentId,
        long contentVersion,
        Instant occurredAt,
        boolean deleted,
        List<TagAssignment> tags,
        Map<String, String> removalReasons,
        TagSource removalSource,
        String taxonomyVersion,
        int qualityScore) {}
