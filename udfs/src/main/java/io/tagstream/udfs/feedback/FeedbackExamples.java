package io.tagstream.udfs.feedback;

import io.tagstream.schemas.FeedbackAction;
import io.tagstream.schemas.FeedbackEvent;
import java.util.Optional;

/** Turns one feedback event on a content of known text into an example change. */
public final class FeedbackExamples {
    private FeedbackExamples() {}

    public static Optional<ConfirmedExample> of(FeedbackEvent feedback, ContentText text) {
        if (feedback.tag() == null || feedback.tag().isBlank() || feedback.action() == null) {
            return Optional.empty();
        }
        boolean active = feedback.action() == FeedbackAction.ACCEPT || feedback.action() == FeedbackAction.ADD;
        return Optional.of(new ConfirmedExample(feedback.tenant(), feedback.contentId(), feedback.tag().strip(),
                text.title(), text.body(), text.lang(), active, feedback.eventId(), feedback.occurredAt(), null, null));
    }
}
