package io.tagstream.udfs.flink;

import io.tagstream.schemas.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends valid records on and dead letters to the {@link #DEAD_LETTERS} side output. */
public class RouteDeadLetters<T> extends ProcessFunction<Either<DeadLetter, T>, T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(Either<DeadLetter, T> record, Context ctx, Collector<T> out) {
        if (record.isRight()) {
            out.collect(record.right());
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.left());
        }
    }
}
