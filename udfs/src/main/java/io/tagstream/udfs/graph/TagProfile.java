package io.tagstream.udfs.graph;

import java.io.Serializable;

/** What the graph knows about a tag beyond its names: status, rating and sensitivity. */
public record TagProfile(TagStatus status, NsfwLevel nsfwLevel, boolean sensitive) implements Serializable {

    public static final TagProfile DEFAULT = new TagProfile(TagStatus.ACTIVE, NsfwLevel.ALL_AGES, false);

    public TagProfile withStatus(TagStatus newStatus) {
        return new TagProfile(newStatus, nsfwLevel, sensitive);
    }
}
