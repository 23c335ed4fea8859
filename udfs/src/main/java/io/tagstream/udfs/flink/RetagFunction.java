package io.tagstream.udfs.flink;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.content.ContentRetag;
import io.tagstream.udfs.content.ContentTagSnapshot;
import io.tagstream.udfs.content.ContentTagging;
import io.tagstream.udfs.content.RetagInput;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.VersionGate;
import io.tagstream.udfs.tagging.TaggerFactory;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by content, in a bounded (batch) job: gathers everything known about the content, and
 * when its key is complete (the end-of-input timer) re-tags it with {@link ContentRetag}. Emits
 * the change set, if any, and the content's tag state afterwards on {@link #STATES}.
 */
public class RetagFunction extends KeyedProcessFunction<String, RetagInput, TagChangeSet> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<ContentTagSnapshot> STATES =
            new OutputTag<>("content-tag-states", TypeInformation.of(ContentTagSnapshot.class));

    private final Taxonomy taxonomy;
    private final TaggerFactory taggerFactory;
    private final int topK;
    private final int rememberedEventIds;
    private final Instant effectiveAt;
    private transient ContentRetag retag;
    private transient ListState<RetagInput> inputs;
    private transient Map<ContentRetag.Outcome, LongCounter> outcomes;

    /** @param effectiveAt when the re-tag takes effect: the time of its events, fixed for the whole run */
    public RetagFunction(Taxonomy taxonomy, TaggerFactory taggerFactory, int topK, int rememberedEventIds,
            Instant effectiveAt) {
        this.taxonomy = taxonomy;
        this.taggerFactory = taggerFactory;
        this.topK = topK;
        this.rememberedEventIds = rememberedEventIds;
        this.effectiveAt = effectiveAt;
    }

    @Override
    public void open(OpenContext openContext) {
        retag = new ContentRetag(new ContentTagging(taxonomy, taggerFactory.create(taxonomy), topK),
                new VersionGate(rememberedEventIds), effectiveAt);
        inputs = getRuntimeContext().getListState(
                new ListStateDescriptor<>("inputs", TypeInformation.of(RetagInput.class)));
        outcomes = new EnumMap<>(ContentRetag.Outcome.class);
        for (ContentRetag.Outcome outcome : ContentRetag.Outcome.values()) {
            LongCounter counter = new LongCounter();
            getRuntimeContext().addAccumulator(accumulator(outcome), counter);
            outcomes.put(outcome, counter);
        }
    }

    /** The accumulator that counts contents with this outcome. */
    public static String accumulator(ContentRetag.Outcome outcome) {
        return "retag-" + outcome.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void processElement(RetagInput input, Context ctx, Collector<TagChangeSet> out) throws Exception {
        inputs.add(input);
        // In batch execution a key's timers fire once all of its input has been seen.
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TagChangeSet> out) throws Exception {
        List<RetagInput> storedInputs = new ArrayList<>();
        List<TagEvent> logged = new ArrayList<>();
        boolean erased = false;
        for (RetagInput input : inputs.get()) {
            if (input.stored() != null) {
                storedInputs.add(input);
            } else if (input.logged() != null) {
                logged.add(input.logged());
            } else {
                erased |= input.erased();
            }
        }
        storedInputs.sort(Comparator.comparingInt(RetagInput::partition).thenComparingLong(RetagInput::offset));
        List<ContentEvent> stored = storedInputs.stream().map(RetagInput::stored).toList();
        logged.sort(Comparator.comparingLong(TagEvent::tagVersion));

        ContentRetag.Result result = retag.retag(ctx.getCurrentKey(), stored, logged, erased, Instant.now(Clock.systemUTC()));
        outcomes.get(result.outcome()).add(1);
        result.changes().ifPresent(out::collect);
        if (result.state() != null) {
            ctx.output(STATES, result.state());
        }
        inputs.clear();
    }
}
