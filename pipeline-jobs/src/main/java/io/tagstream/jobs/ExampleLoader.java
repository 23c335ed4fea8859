package io.tagstream.jobs;

import io.tagstream.sinks.postgres.PostgresMigrations;
import io.tagstream.sinks.postgres.TagExampleStatement;
import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.udfs.tagging.embedding.EmbeddingTaggerSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.java.utils.ParameterTool;

/**
 * {@code tagstream examples --tenant T --data F.jsonl}: feeds labelled data to the embedding
 * tagger of a running job, as confirmed examples in {@code tag_examples} (source
 * {@code labelled}); taggers pick them up within {@code tagging.examples.refresh-ms}. Each item
 * of F ({@code {"id", "title", "body", "tags": [...]}}) is embedded by the model the tagger would
 * choose for it. Loading the same file again changes nothing, and users' feedback on the same
 * content and tag always wins over loaded labels.
 */
public final class ExampleLoader {
    private ExampleLoader() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        String tenant = params.getRequired("tenant");
        List<TaggingEval.Item> items = TaggingEval.read(Path.of(params.getRequired("data")));
        int written = load(config, tenant, items);
        System.out.println("loaded " + written + " examples of " + items.size() + " items for tenant " + tenant);
    }

    static int load(TagstreamConfig config, String tenant, List<TaggingEval.Item> items) throws Exception {
        EmbeddingTaggerSettings settings = Taggers.embeddingSettings(config);
        TagExampleStatement statement = new TagExampleStatement("labelled");
        int batch = config.getInt("tagging.batch-size");
        int written = 0;
        try (Connection c = config.postgres().open()) {
            PostgresMigrations.apply(c, line -> {});
            try (PreparedStatement ps = c.prepareStatement(TagExampleStatement.SQL)) {
                for (int from = 0; from < items.size(); from += batch) {
                    List<TaggingEval.Item> slice = items.subList(from, Math.min(items.size(), from + batch));
                    for (TaggingEval.Embedded e : TaggingEval.embedded(settings, slice, batch)) {
                        TaggingEval.Item item = e.item();
                        for (String tag : item.tags()) {
                            statement.accept(ps, new ConfirmedExample(tenant, item.id(), tag, item.title(), item.body(),
                                    item.lang(), true, "labelled:" + item.id(), Instant.EPOCH, null, null)
                                    .embedded(e.model(), e.vector()));
                            ps.addBatch();
                            written++;
                        }
                    }
                    ps.executeBatch();
                }
            }
        }
        return written;
    }
}
