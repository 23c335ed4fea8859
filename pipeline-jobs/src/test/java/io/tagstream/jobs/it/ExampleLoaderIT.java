package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.sinks.postgres.PostgresTagExamples;
import io.tagstream.udfs.tagging.embedding.ExampleSource;
import io.tagstream.udfs.tagging.embedding.TagExample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labelled data loaded with {@code tagstream examples} lands in the real PostgreSQL's
 * {@code tag_examples} with its embeddings, is idempotent, and is what the embedding tagger's
 * reader ({@link PostgresTagExamples}) then reads.
 */
class ExampleLoaderIT {

    @Test
    void loadsLabelledExamplesOnceAndTheTaggersReaderSeesThem(@TempDir Path dir) throws Exception {
        TagstreamConfig config = LocalStack.isolatedConfig("example_loader_it");
        Path data = dir.resolve("labelled.jsonl");
        Files.writeString(data, """
                {"id": "p1", "title": "Kafka consumer", "body": "Reads topics.", "tags": ["topic::kafka", "content_type::tutorial"]}
                {"id": "p2", "title": "紅燒肉", "body": "家常菜", "tags": ["topic::cooking"]}
                """, StandardCharsets.UTF_8);
        String[] args = {"--tenant", "acme", "--data", data.toString()};

        try (StackProbe probe = new StackProbe(config)) {
            io.tagstream.jobs.ExampleLoader.main(withConfig(config, dir, args));
            List<String[]> first = probe.query("SELECT content_id, tag, model, source, active, array_length(vector, 1), revision "
                    + "FROM tag_examples ORDER BY content_id, tag");
            assertThat(first).map(r -> String.join(" ", java.util.Arrays.copyOf(r, 6))).containsExactly(
                    "p1 content_type::tutorial bge-small-en-v15 labelled t 384",
                    "p1 topic::kafka bge-small-en-v15 labelled t 384",
                    "p2 topic::cooking bge-small-zh-v15 labelled t 512");

            io.tagstream.jobs.ExampleLoader.main(withConfig(config, dir, args));
            assertThat(probe.query("SELECT content_id, tag, model, source, active, array_length(vector, 1), revision "
                    + "FROM tag_examples ORDER BY content_id, tag")).map(r -> String.join(" ", r))
                    .containsExactlyElementsOf(first.stream().map(r -> String.join(" ", r)).toList());

            try (ExampleSource.Reader reader = new PostgresTagExamples(config.postgres()).open()) {
                List<TagExample> read = reader.changedSince(0);
                assertThat(read).map(e -> e.tenant() + " " + e.contentId() + " " + e.tag() + " " + e.model() + " "
                                + e.vector().length + " " + e.active())
                        .containsExactlyInAnyOrder(
                                "acme p1 content_type::tutorial bge-small-en-v15 384 true",
                                "acme p1 topic::kafka bge-small-en-v15 384 true",
                                "acme p2 topic::cooking bge-small-zh-v15 512 true");
                assertThat(read).map(TagExample::revision).isSorted();
            }
        }
    }

    /** The loader reads its configuration like every tool: a properties file plus the environment. */
    static String[] withConfig(TagstreamConfig config, Path dir, String[] args) throws Exception {
        Path file = dir.resolve("tagstream.properties");
        Path password = dir.resolve("password");
        Files.writeString(password, config.postgres().password(), StandardCharsets.UTF_8);
        Files.writeString(file, "postgres.url=" + config.get("postgres.url") + "\npostgres.password-file=" + password + "\n",
                StandardCharsets.UTF_8);
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--config";
        all[args.length + 1] = file.toString();
        return all;
    }
}
