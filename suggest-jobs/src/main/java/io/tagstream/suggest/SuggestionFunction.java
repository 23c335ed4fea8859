package io.tagstream.suggest;

import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.udfs.suggest.IdleCheck;
import io.tagstream.udfs.suggest.SessionState;
import io.tagstream.udfs.suggest.SessionStateMachine;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.statefun.sdk.Context;
import org.apache.flink.statefun.sdk.FunctionType;
import org.apache.flink.statefun.sdk.StatefulFunction;
import org.apache.flink.statefun.sdk.annotations.Persisted;
import org.apache.flink.statefun.sdk.io.EgressIdentifier;
import org.apache.flink.statefun.sdk.state.PersistedValue;

/**
 * One suggestion session, addressed by its session id: moves the session's state through the
 * {@link SessionStateMachine} and nothing else. After every turn it sends itself an
 * {@link IdleCheck} delayed by the idle timeout; the delayed message lives in Flink state, so the
 * timeout survives restarts and no clock is kept in memory.
 */
final class SuggestionFunction implements StatefulFunction {
    static final FunctionType TYPE = new FunctionType("tagstream", "suggestion-session");
    static final EgressIdentifier<SuggestResponse> RESPONSES =
            new EgressIdentifier<>("tagstream", "suggest-responses", SuggestResponse.class);
    static final EgressIdentifier<SessionState> SESSIONS =
            new EgressIdentifier<>("tagstream", "suggest-sessions", SessionState.class);

    @Persisted
    private final PersistedValue<SessionState> session = PersistedValue.of("session", SessionState.class);

    private final SessionStateMachine machine;

    SuggestionFunction(SessionStateMachine machine) {
        this.machine = machine;
    }

    @Override
    public void invoke(Context context, Object input) {
        Optional<SessionStateMachine.Outcome> outcome;
        if (input instanceof SuggestRequest request) {
            outcome = Optional.of(machine.onRequest(session.get(), request));
        } else if (input instanceof IdleCheck check) {
            outcome = machine.onIdleCheck(session.get(), check);
        } else {
            throw new IllegalArgumentException("a suggestion session takes SuggestRequest and IdleCheck messages, not "
                    + input.getClass().getName());
        }
        outcome.ifPresent(o -> apply(context, o));
    }

    private void apply(Context context, SessionStateMachine.Outcome outcome) {
        SessionState state = outcome.state();
        if (state != null) {
            session.set(state);
            context.send(SESSIONS, state);
        }
        context.send(RESPONSES, outcome.response());
        if (outcome.armIdleCheck()) {
            context.sendAfter(Duration.ofMillis(machine.limits().idleTimeoutMillis()), context.self(),
                    new IdleCheck(state.sessionId(), state.progress()));
        }
    }
}
