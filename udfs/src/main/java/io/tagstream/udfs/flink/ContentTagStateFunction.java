package io.tagstream.udfs.flink;

import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.content.ContentInput;
import io.tagstream.udfs.content.ContentTagLedger;
import io.tagstream.udfs.content.ContentTagState;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TagDrop;
import io.tagstream.udfs.graph.InvalidCommandException;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.TagCanonicalizer;
import io.tagstream.udfs.graph.TaxonomyChange;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by content, connected to the broadcast taxonomy commands: holds each content's tags
 * ({@link ContentTagState}) and turns tagged contents, feedback and taxonomy changes into versioned
 * change sets through {@link ContentTagLedger}.
 *
 * <p>The knowledge graph is the base graph plus the commands applied so far; the broadcast state
 * holds those commands in order, so a restored job rebuilds the same graph. A MERGE, RENAME or
 * BLOCK_TAG is applied to every content of this subtask's key range, so every content is reached
 * exactly once across parallel instances. Feedback for a content that has not arrived yet waits,
 * bounded, in keyed state.
 */
public class ContentTagStateFunction
        extends KeyedBroadcastProcessFunction<String, ContentInput, TaxonomyCommand, TagChangeSet> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<Long, TaxonomyCommand> COMMANDS = new MapStateDescriptor<>(
            "taxonomy-commands", Types.LONG, TypeInformation.of(TaxonomyCommand.class));
    public static final OutputTag<TagDrop> DROPS = new OutputTag<>("tag-drops", TypeInformation.of(TagDrop.class));
    public static final OutputTag<DeadLetter> REJECTED_COMMANDS =
            new OutputTag<>("rejected-taxonomy-commands", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<TaxonomyCommand> APPLIED_COMMANDS =
            new OutputTag<>("applied-taxonomy-commands", TypeInformation.of(TaxonomyCommand.class));

    private static final Set<TaxonomyCommandType> REACH_THE_PAST =
            EnumSet.of(TaxonomyCommandType.MERGE, TaxonomyCommandType.RENAME, TaxonomyCommandType.BLOCK_TAG);
    private static final ValueStateDescriptor<ContentTagState> STATE =
            new ValueStateDescriptor<>("content-tags", TypeInformation.of(ContentTagState.class));

    private final KnowledgeGraph baseGraph;
    private final int topK;
    private final int maxPendingFeedback;
    private final String commandsTopic;

    private transient ContentTagLedger ledger;
    private transient KnowledgeGraph graph;
    private transient long commandsApplied;
    private transient ValueState<ContentTagState> state;
    private transient ListState<FeedbackEvent> pendingFeedback;
    private transient Counter droppedFeedback;
    private transient Histogram qualityScore;

    public ContentTagStateFunction(KnowledgeGraph baseGraph, int topK, int maxPendingFeedback, String commandsTopic) {
        this.baseGraph = baseGraph;
        this.topK = topK;
        this.maxPendingFeedback = maxPendingFeedback;
        this.commandsTopic = commandsTopic;
    }

    @Override
    public void open(OpenContext openContext) {
        ledger = new ContentTagLedger(new TagCanonicalizer(topK));
        graph = baseGraph;
        commandsApplied = 0;
        state = getRuntimeContext().getState(STATE);
        pendingFeedback = getRuntimeContext().getListState(
                new ListStateDescriptor<>("pending-feedback", TypeInformation.of(FeedbackEvent.class)));
        droppedFeedback = getRuntimeContext().getMetricGroup().counter("feedbackDroppedWhilePending");
        qualityScore = getRuntimeContext().getMetricGroup()
                .histogram("tag_quality_score", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement(ContentInput input, ReadOnlyContext ctx, Collector<TagChangeSet> out) throws Exception {
        catchUp(ctx.getBroadcastState(COMMANDS));
        ContentTagState current = state.value() == null ? ContentTagState.EMPTY : state.value();
        Instant now = Instant.now(Clock.systemUTC());
        if (input.retag()) {
            if (current.exists()) {
                state.update(emit(ledger.onRetag(current, input.tagged(), graph, now), ctx, out));
            }
            return;
        }
        if (input.tagged() != null) {
            current = emit(ledger.onContent(current, input.tagged(), graph, now), ctx, out);
            for (FeedbackEvent waiting : pendingFeedback.get()) {
                current = emit(ledger.onFeedback(current, waiting, graph, now), ctx, out);
            }
            pendingFeedback.clear();
        } else if (current.exists()) {
            current = emit(ledger.onFeedback(current, input.feedback(), graph, now), ctx, out);
        } else {
            hold(input.feedback());
            return;
        }
        state.update(current);
    }

    @Override
    public void processBroadcastElement(TaxonomyCommand command, Context ctx, Collector<TagChangeSet> out)
            throws Exception {
        BroadcastState<Long, TaxonomyCommand> commands = ctx.getBroadcastState(COMMANDS);
        catchUp(commands);
        boolean reporter = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        KnowledgeGraph next;
        try {
            next = TaxonomyChange.apply(graph, command);
        } catch (InvalidCommandException e) {
            if (reporter) {
                ctx.output(REJECTED_COMMANDS, deadLetter(command, e.getMessage()));
            }
            return;
        }
        commands.put(commandsApplied, command);
        commandsApplied++;
        graph = next;
        if (reporter) {
            ctx.output(APPLIED_COMMANDS, command);
        }
        if (REACH_THE_PAST.contains(command.command())) {
            Instant now = Instant.now(Clock.systemUTC());
            ctx.applyToKeyedState(STATE, (key, contentState) -> {
                ContentTagState current = contentState.value();
                if (current == null || !current.tags().containsKey(command.tag())) {
                    return;
                }
                String[] parts = key.split("/", 2);
                if (command.tenant() != null && !command.tenant().equals(parts[0])) {
                    return;
                }
                ContentTagLedger.Step step = ledger.onTaxonomyChange(current, parts[0], parts[1], command, graph, now);
                step.changes().ifPresent(out::collect);
                contentState.update(step.state());
            });
        }
    }

    /** After a restore the broadcast state may hold commands this instance's graph has not seen. */
    private void catchUp(ReadOnlyBroadcastState<Long, TaxonomyCommand> commands) throws Exception {
        while (commands.contains(commandsApplied)) {
            graph = TaxonomyChange.apply(graph, commands.get(commandsApplied));
            commandsApplied++;
        }
    }

    private ContentTagState emit(ContentTagLedger.Step step, ReadOnlyContext ctx, Collector<TagChangeSet> out) {
        step.changes().ifPresent(changes -> {
            if (changes.qualityScore() >= 0) {
                qualityScore.update(changes.qualityScore());
            }
            out.collect(changes);
        });
        step.drops().forEach(drop -> ctx.output(DROPS, drop));
        return step.state();
    }

    private void hold(FeedbackEvent feedback) throws Exception {
        List<FeedbackEvent> waiting = new ArrayList<>();
        pendingFeedback.get().forEach(waiting::add);
        if (waiting.size() >= maxPendingFeedback) {
            // Bounded: the oldest feedback gives way, counted so that it is visible.
            waiting.remove(0);
            droppedFeedback.inc();
        }
        waiting.add(feedback);
        pendingFeedback.update(waiting);
    }

    private DeadLetter deadLetter(TaxonomyCommand command, String error) {
        byte[] raw = Json.toBytes(command);
        // Commands reach this operator without their Kafka position: the command id stands in for
        // the offset, so a replayed rejection is recorded once.
        long position = Integer.toUnsignedLong(command.commandId().hashCode());
        return DeadLetter.of("taxonomy", error, commandsTopic, -1, position, command.issuedAt(), null, raw,
                Instant.now(Clock.systemUTC()));
    }

    /** The knowledge graph this instance currently applies; for tests. */
    KnowledgeGraph graph() {
        return graph;
    }

}
