package io.tagstream.suggest;

import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.suggest.SessionLimits;
import io.tagstream.udfs.suggest.SessionStateMachine;
import io.tagstream.udfs.suggest.SuggestionTools;
import io.tagstream.udfs.tagging.TaggerFactory;
import java.io.Serializable;
import org.apache.flink.statefun.sdk.FunctionType;
import org.apache.flink.statefun.sdk.StatefulFunction;
import org.apache.flink.statefun.sdk.StatefulFunctionProvider;

/**
 * Builds the session function where it runs, with its tagger (any {@link io.tagstream.udfs.tagging.Tagger};
 * a {@link io.tagstream.udfs.suggest.MeteredTagger} is charged to the session's budget), the
 * knowledge graph and the limits.
 */
final class SuggestionFunctionProvider implements StatefulFunctionProvider, Serializable {
    private static final long serialVersionUID = 1L;

    private final KnowledgeGraph graph;
    private final TaggerFactory taggers;
    private final SessionLimits limits;

    SuggestionFunctionProvider(KnowledgeGraph graph, TaggerFactory taggers, SessionLimits limits) {
        this.graph = graph;
        this.taggers = taggers;
        this.limits = limits;
    }

    @Override
    public StatefulFunction functionOfType(FunctionType type) {
        if (!SuggestionFunction.TYPE.equals(type)) {
            throw new IllegalArgumentException("no function of type " + type);
        }
        return new SuggestionFunction(new SessionStateMachine(
                new SuggestionTools(graph, taggers.create(graph.taxonomy())), limits));
    }
}
