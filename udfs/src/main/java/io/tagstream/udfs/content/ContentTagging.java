package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.tagging.TopKPerDimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the full tag set of one content event: the tagger's top k per dimension, with the
 * author's own tags ({@code user_tags}) beside them. An author's tag wins over a model's opinion
 * of the same tag; one the taxonomy does not know is kept under the dimension {@value #USER_DIMENSION}.
 */
public final class ContentTagging {
    public static final String USER_DIMENSION = "user";

    private final Taxonomy taxonomy;
    private final Tagger tagger;
    private final int topK;

    public ContentTagging(Taxonomy taxonomy, Tagger tagger, int topK) {
        this.taxonomy = taxonomy;
        this.tagger = tagger;
        this.topK = topK;
    }

    public TaggedContent tag(ContentEvent event) {
        return tagAll(List.of(event)).get(0);
    }

    /** Tags a micro-batch of events in one call of the tagger; results in the order of the events. */
    public List<TaggedContent> tagAll(List<ContentEvent> events) {
        List<TaggingRequest> requests = new ArrayList<>();
        for (ContentEvent event : events) {
            if (event.op() != ContentOp.DELETE) {
                requests.add(request(event));
            }
        }
        List<List<TagAssignment>> proposals = requests.isEmpty() ? List.of() : tagger.tagAll(requests);
        List<TaggedContent> tagged = new ArrayList<>(events.size());
        int next = 0;
        for (ContentEvent event : events) {
            tagged.add(event.op() == ContentOp.DELETE ? assemble(event, List.of()) : assemble(event, proposals.get(next++)));
        }
        return tagged;
    }

    public static TaggingRequest request(ContentEvent event) {
        return new TaggingRequest(event.tenant(), event.contentId(), event.title(), event.body(), event.lang());
    }

    /** The tag set of {@code event} from its tagger's proposals: top k per dimension, then the author's tags. */
    public TaggedContent assemble(ContentEvent event, List<TagAssignment> proposed) {
        if (event.op() == ContentOp.DELETE) {
            return new TaggedContent(event, List.of(), taxonomy.version());
        }
        Map<String, TagAssignment> tags = new LinkedHashMap<>();
        for (TagAssignment proposal : TopKPerDimension.select(proposed, topK)) {
            tags.put(proposal.tag(), proposal);
        }
        for (String userTag : event.userTags()) {
            TagAssignment authored = authored(userTag);
            tags.put(authored.tag(), authored);
        }
        return new TaggedContent(event, new ArrayList<>(tags.values()), taxonomy.version());
    }

    public Tagger tagger() {
        return tagger;
    }

    private TagAssignment authored(String userTag) {
        Optional<TaxonomyTag> known = taxonomy.resolve(userTag);
        String tag = known.map(TaxonomyTag::id).orElse(userTag.trim());
        String dimension = known.map(TaxonomyTag::dimension).orElse(USER_DIMENSION);
        return new TagAssignment(tag, dimension, 1.0, TagSource.USER, null, "tagged by the content's author");
    }
}
