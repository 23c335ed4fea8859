package io.tagstream.udfs.graph;

import java.util.Locale;

/** Content rating of a tag, from the seed's knowledge base; ordered from safest to never allowed. */
public enum NsfwLevel {
    ALL_AGES("all-ages"),
    R15("r15"),
    R18("r18"),
    BLOCKED("blocked");

    private final String wireName;

    NsfwLevel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static NsfwLevel parse(String text) {
        for (NsfwLevel level : values()) {
            if (level.wireName.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return level;
            }
        }
        throw new IllegalArgumentException("nsfw level must be all-ages, r15, r18 or blocked, was '" + text + "'");
    }
}
