package io.tagstream.udfs.suggest;

import io.tagstream.schemas.SessionPhase;
import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestDirection;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The suggestion session's state machine, after the seed's ({@code inspire-agent-tag-kb.md}) and
 * without its bugs. Phases: understanding → exploring (directions proposed) → refining (a direction
 * chosen and refined) → finalizing → completed; or aborted from any of them, always with the best
 * result so far and the reason.
 *
 * <ul>
 *   <li>An idea is clear when it names tags of {@value SuggestionTools#CLEAR_DIMENSIONS} dimensions
 *       (crystal clear included: the seed only let "mostly clear" through); else the session asks.
 *   <li>An idea naming a tag the tenant may not carry is refused, with the reason and never the
 *       tag (the idea itself is not kept); nothing is substituted for it.
 *   <li>Limits are checked where they are crossed: a tool is refused its (limit+1)-th call, not its
 *       last allowed one; cost aborts when it exceeds the cap; the turn limit aborts a session still
 *       unfinished after its last allowed turn, which may itself complete the session.
 *   <li>Convergence needs that many identical refinements in a row (the seed aborted on the first
 *       feedback, since a one-element set has one element).
 *   <li>Idleness is the time since the last turn, checked by a delayed {@link IdleCheck}, never by a
 *       wall clock kept in memory (the seed timed the whole session from its start).
 * </ul>
 *
 * Pure: the same state and request always give the same outcome.
 */
public final class SessionStateMachine {
    /** What a refused session keeps of its idea. */
    public static final String REFUSED_IDEA = "[refused]";

    private final SuggestionTools tools;
    private final SessionLimits limits;

    public SessionStateMachine(SuggestionTools tools, SessionLimits limits) {
        this.tools = tools;
        this.limits = limits;
    }

    public SessionLimits limits() {
        return limits;
    }

    /**
     * The result of one event.
     *
     * @param state the session to keep; null when there is none to keep (a turn for an unknown session)
     * @param armIdleCheck send an {@link IdleCheck} for {@code state.progress()} after the idle timeout
     */
    public record Outcome(SessionState state, SuggestResponse response, boolean armIdleCheck) {}

    public Outcome onRequest(SessionState stored, SuggestRequest request) {
        if (stored == null && request.action() != SuggestAction.START) {
            SessionState none = SessionState.open(request.sessionId(), request.tenant(), "");
            return new Outcome(null, response(none, request.requestId(), "There is no session " + request.sessionId()
                    + ": send a START with the idea first.", List.of(), request.occurredAt(), SessionPhase.ABORTED,
                    "unknown session"), false);
        }
        if (stored != null && request.action() == SuggestAction.START) {
            return new Outcome(stored, response(stored, request.requestId(), "Session " + request.sessionId()
                    + " already exists; CONTINUE it or start another session id.", List.of(), request.occurredAt()), false);
        }
        if (stored != null && stored.phase().over()) {
            return new Outcome(stored, response(stored, request.requestId(), "This session is " + stored.phase().wireName()
                    + "; start a new one for another idea.", List.of(), request.occurredAt()), false);
        }
        Turn turn = new Turn(stored != null ? stored : SessionState.open(request.sessionId(), request.tenant(), request.text()));
        turn.taken(request.occurredAt());
        String message;
        try {
            message = stored == null ? turn.understand() : turn.go(request);
            if (!turn.phase.over() && turn.turns >= limits.maxTurns()) {
                throw new Abort("turn limit: " + turn.turns + " turns used, the limit is " + limits.maxTurns());
            }
        } catch (Abort abort) {
            message = turn.abort(abort.getMessage());
        }
        SessionState next = turn.state();
        return new Outcome(next, response(next, request.requestId(), message, turn.questions, request.occurredAt()),
                !next.phase().over());
    }

    /** An idle check that arrives after the session moved on is stale: nothing happens. */
    public Optional<Outcome> onIdleCheck(SessionState stored, IdleCheck check) {
        if (stored == null || stored.phase().over() || stored.progress() != check.progress()) {
            return Optional.empty();
        }
        Instant at = stored.lastProgressAt() == null ? null : stored.lastProgressAt().plusMillis(limits.idleTimeoutMillis());
        Turn turn = new Turn(stored);
        turn.updatedAt = at;
        String message = turn.abort("idle timeout: no turn for " + limits.idleTimeoutMillis() / 1000.0 + " s");
        SessionState next = turn.state();
        return Optional.of(new Outcome(next, response(next, null, message, List.of(), at), false));
    }

    private static SuggestResponse response(SessionState s, String requestId, String message, List<String> questions,
            Instant at) {
        return response(s, requestId, message, questions, at, s.phase(), s.abortReason());
    }

    private static SuggestResponse response(SessionState s, String requestId, String message, List<String> questions,
            Instant at, SessionPhase phase, String abortReason) {
        return new SuggestResponse(s.sessionId(), requestId, s.tenant(), s.turns(), phase, message, questions,
                s.directions(), s.result(), s.refused(), abortReason, s.cost(), s.inputTokens(), s.outputTokens(),
                s.toolCalls(), at);
    }

    /** A limit was crossed: the session ends here with its best result. */
    private static final class Abort extends Exception {
        Abort(String reason) {
            super(reason);
        }
    }

    /** One turn's working copy of the session. */
    private final class Turn {
        final String sessionId;
        final String tenant;
        String idea;
        SessionPhase phase;
        int turns;
        double cost;
        long inputTokens;
        long outputTokens;
        final Map<String, Integer> toolCalls;
        List<SuggestDirection> directions;
        SuggestDirection result;
        List<String> refinements;
        long progress;
        Instant lastProgressAt;
        Instant updatedAt;
        String abortReason;
        boolean refused;
        List<String> questions = List.of();
        /** Tags a refinement removed: they stay out of this session's result. */
        final Set<String> excluded = new LinkedHashSet<>();

        Turn(SessionState s) {
            sessionId = s.sessionId();
            tenant = s.tenant();
            idea = s.idea();
            phase = s.phase();
            turns = s.turns();
            cost = s.cost();
            inputTokens = s.inputTokens();
            outputTokens = s.outputTokens();
            toolCalls = new TreeMap<>(s.toolCalls());
            directions = s.directions();
            result = s.result();
            refinements = new ArrayList<>(s.refinements());
            progress = s.progress();
            lastProgressAt = s.lastProgressAt();
            updatedAt = s.updatedAt();
            abortReason = s.abortReason();
            refused = s.refused();
            excluded.addAll(s.excluded());
        }

        /** A person took a turn: that is progress, whatever it asks. */
        void taken(Instant at) {
            turns++;
            progress++;
            lastProgressAt = at;
            updatedAt = at;
        }

        SessionState state() {
            return new SessionState(sessionId, tenant, idea, phase, turns, cost, inputTokens, outputTokens, toolCalls,
                    directions, result, refinements, new ArrayList<>(excluded), progress, lastProgressAt, updatedAt,
                    abortReason, refused);
        }

        /** Dispatches a CONTINUE by phase. */
        String go(SuggestRequest request) throws Abort {
            String text = request.text() == null || request.text().isBlank() ? null : request.text().strip();
            if (phase == SessionPhase.UNDERSTANDING) {
                refinements.clear();
                if (text == null) {
                    return "Tell me more about the idea first: " + String.join("; ", tools.questions(tenant, Set.of()));
                }
                idea = idea + " " + text;
                return understand();
            }
            SuggestDirection base = null;
            if (request.choice() != null) {
                if (request.choice() > directions.size()) {
                    return "There are " + directions.size() + " directions: choose 1 to " + directions.size() + ".";
                }
                base = directions.get(request.choice() - 1);
            } else if (phase == SessionPhase.REFINING) {
                base = result;
            }
            if (base == null) {
                if (request.finish()) {
                    return finish(best());
                }
                // Exploring without a choice: the text refines the idea itself.
                converging(text);
                idea = idea + " " + text;
                return understand();
            }
            if (text != null) {
                converging(text);
                String said = refine(base, text);
                if (!request.finish()) {
                    return said;
                }
                base = result;
            } else {
                refinements.clear();
            }
            return finish(base);
        }

        String understand() throws Abort {
            SuggestionTools.Understanding understood = tools.understand(tenant, sessionId, idea);
            call(SuggestionTools.UNDERSTAND, understood.usage());
            if (!understood.refusals().isEmpty()) {
                refused = true;
                // The idea names a blocked tag: like the tag, it is kept nowhere.
                idea = REFUSED_IDEA;
                return abort("refused: the idea asks for content this tenant may not have ("
                        + String.join("; ", new LinkedHashSet<>(understood.refusals())) + ")");
            }
            if (understood.dimensions().size() < SuggestionTools.CLEAR_DIMENSIONS) {
                phase = SessionPhase.UNDERSTANDING;
                questions = tools.questions(tenant, understood.dimensions());
                return "The idea is too vague to suggest tags yet. Tell me more: " + String.join("; ", questions);
            }
            call(SuggestionTools.EXPLORE, Usage.NONE);
            List<DirectionExplorer.Proposal> proposals = tools.explore(tenant, understood.tags());
            call(SuggestionTools.VALIDATE, Usage.NONE);
            directions = tools.validate(tenant, idea, proposals);
            result = null;
            phase = SessionPhase.EXPLORING;
            return directions.size() + " direction(s): choose one by number (add text to refine it), or refine the idea.";
        }

        String refine(SuggestDirection base, String text) throws Abort {
            SuggestionTools.Refinement refined = tools.refine(tenant, sessionId, base, excluded, text);
            call(SuggestionTools.REFINE, refined.usage());
            if (!refined.refusals().isEmpty()) {
                // The turn is refused; the session goes on with what it had.
                return "Refused: the refinement asks for content this tenant may not have ("
                        + String.join("; ", new LinkedHashSet<>(refined.refusals())) + "); nothing changed.";
            }
            call(SuggestionTools.VALIDATE, Usage.NONE);
            excluded.clear();
            excluded.addAll(refined.excluded());
            result = tools.direction(base.title(), tenant, refined.tags(), excluded);
            phase = SessionPhase.REFINING;
            return refined.changedAnything()
                    ? "Refined: " + result.tags().size() + " tags, score " + result.qualityScore()
                            + ". Refine again, or finish."
                    : "That refinement changed nothing. Refine differently, or finish.";
        }

        String finish(SuggestDirection chosen) throws Abort {
            phase = SessionPhase.FINALIZING;
            call(SuggestionTools.FINALIZE, Usage.NONE);
            result = tools.direction(chosen.title(), tenant, assignments(chosen), excluded);
            phase = SessionPhase.COMPLETED;
            return "Done: " + result.tags().size() + " tags, score " + result.qualityScore() + ".";
        }

        /** Counts a refinement; the same one too many times in a row means the session has converged. */
        void converging(String text) throws Abort {
            String normalized = Taxonomy.normalize(text).replaceAll("\\s+", " ");
            if (!refinements.isEmpty() && !refinements.get(refinements.size() - 1).equals(normalized)) {
                refinements.clear();
            }
            refinements.add(normalized);
            if (refinements.size() >= limits.maxIdenticalRefinements()) {
                throw new Abort("converged: the same refinement " + refinements.size() + " times in a row");
            }
        }

        /** One call of a tool: refused beyond its limit; its cost may exceed the cap. */
        void call(String tool, Usage usage) throws Abort {
            int calls = toolCalls.getOrDefault(tool, 0);
            if (calls >= limits.maxCallsPerTool()) {
                throw new Abort("tool limit: '" + tool + "' was already called " + calls + " times, the limit is "
                        + limits.maxCallsPerTool());
            }
            toolCalls.put(tool, calls + 1);
            cost += usage.cost();
            inputTokens += usage.inputTokens();
            outputTokens += usage.outputTokens();
            if (cost > limits.maxCost()) {
                throw new Abort(String.format(java.util.Locale.ROOT, "cost cap: $%.6f spent, the cap is $%.6f", cost,
                        limits.maxCost()));
            }
        }

        String abort(String reason) {
            phase = SessionPhase.ABORTED;
            abortReason = reason;
            if (!refused) {
                result = best();
            }
            return "Aborted (" + reason + ")" + (result == null ? "." : "; the best result so far has "
                    + result.tags().size() + " tags, score " + result.qualityScore() + ".");
        }

        /** The refined choice if there is one, else the highest-scoring direction (the first on ties). */
        SuggestDirection best() {
            if (result != null) {
                return result;
            }
            return directions.stream().max(Comparator.comparingInt(SuggestDirection::qualityScore)
                    .thenComparing(d -> -directions.indexOf(d))).orElse(null);
        }
    }

    private static List<TagAssignment> assignments(SuggestDirection direction) {
        return direction.tags().stream()
                .map(t -> new TagAssignment(t.tag(), t.dimension(), t.confidence(), t.source(), null, t.reason()))
                .toList();
    }
}
