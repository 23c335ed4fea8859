package io.tagstream.schemas.fuzz;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.fuzz.Contracts.Contract;

/** {@link ReaderFuzzing}'s properties for {@code ContentEventReader}. */
class ContentEventReaderFuzzTest extends ReaderFuzzing<ContentEvent> {
    @Override
    Contract<ContentEvent> contract() {
        return Contracts.CONTENT;
    }
}
