package io.tagstream.schemas.fuzz;

import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.fuzz.Contracts.Contract;

/** {@link ReaderFuzzing}'s properties for {@code FeedbackEventReader}. */
class FeedbackEventReaderFuzzTest extends ReaderFuzzing<FeedbackEvent> {
    @Override
    Contract<FeedbackEvent> contract() {
        return Contracts.FEEDBACK;
    }
}
