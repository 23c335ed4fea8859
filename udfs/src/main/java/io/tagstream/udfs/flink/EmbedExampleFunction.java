package io.tagstream.udfs.flink;

import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.tagging.embedding.EmbeddingModels;
import io.tagstream.udfs.tagging.embedding.EmbeddingTaggerSettings;
import java.util.List;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Embeds an example's text with the model the embedding tagger would choose for it, so the
 * example is comparable with the contents it will help to tag. Feedback is rare next to
 * content, so one call per example is enough here.
 */
public class EmbedExampleFunction extends RichMapFunction<ConfirmedExample, ConfirmedExample> {
    private static final long serialVersionUID = 1L;

    private final EmbeddingTaggerSettings settings;

    public EmbedExampleFunction(EmbeddingTaggerSettings settings) {
        this.settings = settings;
    }

    @Override
    public ConfirmedExample map(ConfirmedExample example) {
        TaggingRequest request = new TaggingRequest(example.tenant(), example.contentId(), example.title(), example.body(),
                example.lang());
        String model = settings.modelFor(request.lang(), request.text());
        return example.embedded(model, EmbeddingModels.embedAll(model, List.of(request.text())).get(0));
    }
}
