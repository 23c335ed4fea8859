package io.tagstream.udfs.suggest;

import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import java.util.List;

/**
 * A {@link Tagger} that calls a paid model and says what each call cost. Suggestion sessions
 * charge that to the session's budget; any other tagger (the keyword tagger, say) costs nothing.
 */
public interface MeteredTagger extends Tagger {

    /** The tags and what finding them cost. */
    Metered tagMetered(TaggingRequest request);

    @Override
    default List<TagAssignment> tag(TaggingRequest request) {
        return tagMetered(request).tags();
    }

    record Metered(List<TagAssignment> tags, Usage usage) {}

    /** Any tagger's answer with its cost: zero unless it is metered. */
    static Metered call(Tagger tagger, TaggingRequest request) {
        return tagger instanceof MeteredTagger metered
                ? metered.tagMetered(request)
                : new Metered(tagger.tag(request), Usage.NONE);
    }
}
