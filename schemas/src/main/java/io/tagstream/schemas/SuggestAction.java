package io.tagstream.schemas;

/** What a suggestion request asks: open a session with an idea, or go on with one. */
public enum SuggestAction {
    /** A new session: {@code text} is the idea. */
    START,
    /** A later turn: {@code choice} picks a direction, {@code text} clarifies or refines, {@code finish} ends. */
    CONTINUE
}
