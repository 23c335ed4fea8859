package io.tagstream.schemas.fuzz;

import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.fuzz.Contracts.Contract;

/** {@link ReaderFuzzing}'s properties for {@code TaxonomyCommandReader}. */
class TaxonomyCommandReaderFuzzTest extends ReaderFuzzing<TaxonomyCommand> {
    @Override
    Contract<TaxonomyCommand> contract() {
        return Contracts.COMMANDS;
    }
}
