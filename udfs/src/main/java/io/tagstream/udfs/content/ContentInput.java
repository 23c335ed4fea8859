package io.tagstream.udfs.content;

import io.tagstream.schemas.FeedbackEvent;

/** What reaches a content's tag state: a newly tagged version of it, or a user's feedback on it. */
public record ContentInput(TaggedContent tagged, FeedbackEvent feedback) {

    public static ContentInput of(TaggedContent tagged) {
        return new ContentInput(tagged, null);
    }

    public static ContentInput of(FeedbackEvent feedback) {
        return new ContentInput(null, feedback);
    }

    public String contentKey() {
        return tagged != null ? tagged.event().contentKey() : io.tagstream.schemas.ContentKey.of(feedback.tenant(), feedback.contentId());
    }
}
