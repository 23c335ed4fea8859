package io.tagstream.udfs.flink;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.udfs.feedback.ContentText;
import io.tagstream.udfs.feedback.FeedbackExamples;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by content: remembers each content's latest text (from the admitted content events) and
 * turns feedback on it into {@link ConfirmedExample}s carrying that text. Feedback that arrives
 * before its content's text waits (at most {@value #MAX_PENDING} per content); a deleted
 * content forgets its text.
 */
public class FeedbackExampleFunction extends KeyedCoProcessFunction<String, ContentEvent, FeedbackEvent, ConfirmedExample> {
    private static final long serialVersionUID = 1L;
    static final int MAX_PENDING = 100;

    private transient ValueState<ContentText> text;
    private transient ListState<FeedbackEvent> pending;

    @Override
    public void open(OpenContext openContext) {
        text = getRuntimeContext().getState(new ValueStateDescriptor<>("text", TypeInformation.of(ContentText.class)));
        pending = getRuntimeContext().getListState(
                new ListStateDescriptor<>("pendingFeedback", TypeInformation.of(FeedbackEvent.class)));
    }

    @Override
    public void processElement1(ContentEvent content, Context ctx, Collector<ConfirmedExample> out) throws Exception {
        if (content.op() == ContentOp.DELETE) {
            text.clear();
            pending.clear();
            return;
        }
        ContentText latest = new ContentText(content.title(), content.body(), content.lang());
        text.update(latest);
        Iterable<FeedbackEvent> waiting = pending.get();
        if (waiting != null) {
            for (FeedbackEvent feedback : waiting) {
                FeedbackExamples.of(feedback, latest).ifPresent(out::collect);
            }
        }
        pending.clear();
    }

    @Override
    public void processElement2(FeedbackEvent feedback, Context ctx, Collector<ConfirmedExample> out) throws Exception {
        ContentText latest = text.value();
        if (latest != null) {
            FeedbackExamples.of(feedback, latest).ifPresent(out::collect);
            return;
        }
        List<FeedbackEvent> waiting = new ArrayList<>();
        Iterable<FeedbackEvent> stored = pending.get();
        if (stored != null) {
            stored.forEach(waiting::add);
        }
        if (waiting.size() >= MAX_PENDING) {
            waiting.remove(0); // the oldest verdict goes; a content this unseen is probably gone
        }
        waiting.add(feedback);
        pending.update(waiting);
    }
}
