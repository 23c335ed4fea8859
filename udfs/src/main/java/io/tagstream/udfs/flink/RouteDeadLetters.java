package io.tagstream.udfs.flink;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.IngestedContent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends valid content events on and dead letters to the {@link #DEAD_LETTERS} side output. */
public class RouteDeadLetters extends ProcessFunction<IngestedContent, ContentEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(IngestedContent record, Context ctx, Collector<ContentEvent> out) {
        if (record.isValid()) {
            out.collect(record.event());
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.deadLetter());
        }
    }
}
