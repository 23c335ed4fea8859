package io.tagstream.jobs;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.udfs.content.ContentTagging;
import io.tagstream.udfs.content.TaggedTextCache;
import io.tagstream.udfs.content.TaggingWorker;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.embedding.EmbeddingModels;
import io.tagstream.udfs.tagging.embedding.ExampleSource;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.java.utils.ParameterTool;

/**
 * {@code tagstream bench-tagger --taxonomy T --data D [--items N] [--rounds R] [--config FILE]}: items
 * per second through the tagger exactly as the job calls it (a {@link TaggingWorker} batch:
 * cache lookup, the configured tagger's {@code tagAll}, top k, user tags), against the raw
 * embedding model's {@code embedAll} on the same texts and batch size, measured in alternating
 * rounds in the same JVM. Prints both rates and their ratio; the last line is
 * {@code ratio=0.xx}. Every round uses fresh content ids, so the cache never answers.
 */
public final class TaggerBenchmark {
    private TaggerBenchmark() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        Taxonomy taxonomy = TaxonomyFile.read(Path.of(params.getRequired("taxonomy")));
        List<TaggingEval.Item> items = TaggingEval.read(Path.of(params.getRequired("data")));
        int n = Math.min(items.size(), params.getInt("items", 256));
        int rounds = params.getInt("rounds", 3);
        int batch = config.getInt("tagging.batch-size");
        List<String> texts = new ArrayList<>();
        for (TaggingEval.Item item : items.subList(0, n)) {
            texts.add(item.request().text());
        }
        String model = config.get("tagging.embedding.model-en");

        try (Tagger tagger = Taggers.factory(config, ExampleSource.none()).create(taxonomy);
                TaggingWorker worker = new TaggingWorker(new ContentTagging(taxonomy, tagger, config.getInt("tagging.top-k")),
                        new TaggedTextCache(config.getInt("tagging.cache-size")), batch,
                        e -> { throw new IllegalStateException("the tagger failed on " + e.contentId()); }, "bench")) {
            // Warm-up: loads the models and tag texts, and lets the JIT compile both paths.
            raw(model, texts.subList(0, Math.min(n, 2 * batch)), batch);
            job(worker, items.subList(0, Math.min(n, 2 * batch)), batch, "warm");
            long rawNanos = 0;
            long jobNanos = 0;
            for (int r = 0; r < rounds; r++) {
                rawNanos += raw(model, texts, batch);
                jobNanos += job(worker, items.subList(0, n), batch, "r" + r);
            }
            double rawRate = (double) n * rounds / (rawNanos / 1e9);
            double jobRate = (double) n * rounds / (jobNanos / 1e9);
            System.out.printf(Locale.ROOT, "items: %d x %d rounds, batch %d, tagger %s, model %s%n", n, rounds, batch,
                    config.get("tagging.tagger"), model);
            System.out.printf(Locale.ROOT, "raw embedAll:             %8.1f items/s%n", rawRate);
            System.out.printf(Locale.ROOT, "tagger as the job calls:  %8.1f items/s%n", jobRate);
            System.out.printf(Locale.ROOT, "ratio=%.2f%n", jobRate / rawRate);
        }
    }

    private static long raw(String model, List<String> texts, int batch) {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batch) {
            EmbeddingModels.embedAll(model, texts.subList(from, Math.min(texts.size(), from + batch)));
        }
        return System.nanoTime() - start;
    }

    private static long job(TaggingWorker worker, List<TaggingEval.Item> items, int batch, String round) {
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += batch) {
            List<TaggingWorker.Job> jobs = new ArrayList<>();
            for (TaggingEval.Item item : items.subList(from, Math.min(items.size(), from + batch))) {
                ContentEvent event = new ContentEvent(round + item.id(), "bench", round + "/" + item.id(), ContentOp.UPSERT,
                        1L, Instant.EPOCH, item.title(), item.body(), item.lang(), "bench", null, null);
                jobs.add(new TaggingWorker.Job(event, tagged -> {}));
            }
            worker.process(jobs);
        }
        return System.nanoTime() - start;
    }
}
