package io.tagstream.udfs.content;

import java.time.Instant;

/**
 * A user's standing decision about one tag of one content, which later re-tagging respects.
 *
 * @param pinned {@code true}: the tag stays (accepted or added); {@code false}: it never comes back
 *     (rejected or removed)
 */
public record TagVerdict(boolean pinned, String actor, Instant at) {}
