package io.tagstream.udfs.suggest;

/**
 * The delayed message a session sends itself after each turn: if, when it arrives, the session's
 * progress is still {@code progress}, nothing happened for the idle timeout and the session aborts.
 */
public record IdleCheck(String sessionId, long progress) {}
