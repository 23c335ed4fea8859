package io.tagstream.schemas.fuzz;

import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.fuzz.Contracts.Contract;

/** {@link ReaderFuzzing}'s properties for {@code SuggestRequestReader}. */
class SuggestRequestReaderFuzzTest extends ReaderFuzzing<SuggestRequest> {
    @Override
    Contract<SuggestRequest> contract() {
        return Contracts.SUGGEST;
    }
}
