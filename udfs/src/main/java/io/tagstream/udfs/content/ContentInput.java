package io.tagstream.udfs.content;

import io.tagstream.schemas.FeedbackEvent;

/**
 * What reaches a content's tag state: a newly tagged version of it, a user's feedback on it, or a
 * re-tag of its current version ({@code retag}: after a model or taxonomy change).
 */
public record ContentInput(TaggedContent tagged, FeedbackEvent feedback, boolean retag) {

    public static ContentInput of(TaggedContent tagged) {
        return new ContentInput(tagged, null, false);
    }

    public static ContentInput of(FeedbackEvent feedback) {
        return new ContentInput(null, feedback, false);
    }

    public static ContentInput retag(TaggedContent tagged) {
        return new ContentInput(tagged, null, true);
    }

    public String contentKey() {
        return tagged != null ? tagged.event().contentKey() : io.tagstream.schemas.ContentKey.of(feedback.tenant(), feedback.contentId());
    }
}
