package io.tagstream.udfs.content;

import java.time.Instant;

/**
 * A proposed tag that did not become part of a content, kept so the models' opinions and the
 * graph's decisions stay on record.
 */
public record TagDrop(
        String tenant,
        String contentId,
        long contentVersion,
        String tag,
        double confidence,
        String source,
        String reason,
        String taxonomyVersion,
        Instant occurredAt) {}
