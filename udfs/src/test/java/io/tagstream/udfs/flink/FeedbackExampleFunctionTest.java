package io.tagstream.udfs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.FeedbackAction;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.udfs.feedback.ConfirmedExample;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FeedbackExampleFunctionTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static ContentEvent content(String id, ContentOp op, String title) {
        return new ContentEvent("e-" + title, "acme", id, op, 1L, T0, title, "body of " + title, "en", null, null, null);
    }

    private static FeedbackEvent feedback(String id, String tag, FeedbackAction action, int minute) {
        return new FeedbackEvent("f-" + tag + minute, "acme", id, tag, action, "ann", T0.plusSeconds(60L * minute));
    }

    private static String describe(ConfirmedExample e) {
        return e.contentId() + " " + e.tag() + " " + (e.active() ? "active" : "withdrawn") + " \"" + e.title() + "\" " + e.eventId();
    }

    @Test
    void feedbackBecomesExamplesWithTheLatestTextAndWaitsForTextItHasNotSeen() throws Exception {
        try (var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new FeedbackExampleFunction()),
                ContentEvent::contentKey, (FeedbackEvent f) -> ContentKey.of(f.tenant(), f.contentId()), Types.STRING)) {
            harness.open();
            harness.processElement2(feedback("c2", "kafka", FeedbackAction.ADD, 1), 0);    // c2 not seen yet: waits
            harness.processElement1(content("c1", ContentOp.UPSERT, "Flink intro"), 0);
            harness.processElement1(content("c1", ContentOp.UPSERT, "Flink guide"), 0);
            harness.processElement2(feedback("c1", "flink", FeedbackAction.ACCEPT, 2), 0);
            harness.processElement2(feedback("c1", "flink", FeedbackAction.REJECT, 3), 0);
            harness.processElement1(content("c2", ContentOp.UPSERT, "Kafka"), 0);       // releases c2's feedback
            harness.processElement1(content("c1", ContentOp.DELETE, null), 0);
            harness.processElement2(feedback("c1", "flink", FeedbackAction.ADD, 4), 0);  // text forgotten: waits

            List<ConfirmedExample> out = harness.extractOutputValues();
            assertThat(out).map(FeedbackExampleFunctionTest::describe).containsExactly(
                    "c1 flink active \"Flink guide\" f-flink2",
                    "c1 flink withdrawn \"Flink guide\" f-flink3",
                    "c2 kafka active \"Kafka\" f-kafka1");
        }
    }
}
