package io.tagstream.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.content.ContentTagging;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.quality.MultiLabelScores;
import io.tagstream.udfs.tagging.ConfidenceBand;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.tagging.embedding.EmbeddingModels;
import io.tagstream.udfs.tagging.embedding.EmbeddingTaggerSettings;
import io.tagstream.udfs.tagging.embedding.ExampleSource;
import io.tagstream.udfs.tagging.embedding.PlainCosine;
import io.tagstream.udfs.tagging.embedding.TagExample;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.java.utils.ParameterTool;

/**
 * {@code tagstream eval --taxonomy T --data D [--feedback F] [--config FILE]}: imports the
 * taxonomy, feeds the labelled items of F to the tagger as confirmed examples, tags every item of
 * D through the same path the job uses ({@link ContentTagging}: the configured tagger in
 * micro-batches, then top k per dimension) and prints micro precision, recall and F1, macro F1
 * and tags per item, beside two baselines measured in the same run on the same items:
 *
 * <ul>
 *   <li>the most frequent tags: every item gets the n tags most frequent in F (n = F's mean
 *       tags per item); without F, frequencies and n come from D's own gold tags, which favours
 *       the baseline;
 *   <li>plain cosine similarity of the item to each tag's text, same model and texts, above one
 *       global threshold: the threshold of best micro-F1 on F, or without F on D itself, which
 *       again favours the baseline.
 * </ul>
 *
 * The last line is {@code micro_f1=0.xxx macro_f1=0.xxx} of the tagger. D and F are JSONL of
 * {@code {"id", "title", "body", "tags": [...]}}. Feedback and evaluated items must differ: an item
 * of D also in F is an error.
 */
public final class TaggingEval {
    static final String TENANT = "eval";

    record Item(String id, String title, String body, String lang, Set<String> tags) {
        TaggingRequest request() {
            return new TaggingRequest(TENANT, id, title, body, lang);
        }
    }

    private TaggingEval() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        if (!params.has("taxonomy") || !params.has("data")) {
            System.err.println("usage: tagstream eval --taxonomy T.json --data D.jsonl [--feedback F.jsonl] [--config FILE] [--embedding-cache FILE]");
            System.exit(2);
        }
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        Taxonomy taxonomy = TaxonomyFile.read(Path.of(params.get("taxonomy")));
        List<Item> data = read(Path.of(params.get("data")));
        List<Item> feedback = params.has("feedback") ? read(Path.of(params.get("feedback"))) : List.of();
        if (params.has("dimensions")) {
            Set<String> keep = new TreeSet<>(List.of(params.get("dimensions").split(",")));
            taxonomy = restrict(taxonomy, keep);
            data = restrict(data, taxonomy);
            feedback = restrict(feedback, taxonomy);
        }
        // Each text is embedded once per run (the tagger, its k-NN baseline and plain cosine read the same
        // vectors); with --embedding-cache FILE, once across runs. The scores are the same either way.
        EmbeddingModels.useCache(params.has("embedding-cache")
                ? io.tagstream.udfs.tagging.embedding.EmbeddingCache.open(Path.of(params.get("embedding-cache")))
                : io.tagstream.udfs.tagging.embedding.EmbeddingCache.inMemory());
        run(config, taxonomy, data, feedback, System.out);
    }

    /** @return the tagger's scores */
    static MultiLabelScores run(TagstreamConfig config, Taxonomy taxonomy, List<Item> data, List<Item> feedback,
            PrintStream out) throws Exception {
        Set<String> feedbackIds = new java.util.HashSet<>();
        feedback.forEach(i -> feedbackIds.add(i.id()));
        for (Item item : data) {
            if (feedbackIds.contains(item.id())) {
                throw new IllegalArgumentException("item '" + item.id() + "' is both evaluated and fed back: keep them apart");
            }
            for (String tag : item.tags()) {
                if (taxonomy.tag(tag).isEmpty()) {
                    throw new IllegalArgumentException("item '" + item.id() + "' has tag '" + tag + "', which the taxonomy lacks");
                }
            }
        }
        String taggerName = config.get("tagging.tagger");
        int batch = config.getInt("tagging.batch-size");
        out.printf(Locale.ROOT, "taxonomy: %d tags in %d dimensions; evaluated items: %d; feedback items: %d; tagger: %s%n",
                taxonomy.tags().size(), taxonomy.dimensions().size(), data.size(), feedback.size(), taggerName);

        // Feedback becomes confirmed examples, embedded by the model the tagger would choose.
        List<Embedded> feedbackEmbedded = embedded(Taggers.embeddingSettings(config), feedback, batch);
        List<TagExample> examples = new ArrayList<>();
        for (Embedded e : feedbackEmbedded) {
            for (String tag : e.item().tags()) {
                examples.add(new TagExample(examples.size() + 1, TENANT, e.item().id(), tag, e.model(), e.vector(), true));
            }
        }
        List<TagExample> fed = List.copyOf(examples);
        ExampleSource source = () -> revision -> fed.stream().filter(e -> e.revision() > revision).toList();

        List<Set<String>> gold = new ArrayList<>();
        data.forEach(i -> gold.add(i.tags()));

        // The tagger, called as the job calls it.
        long start = System.nanoTime();
        Tagged tagged = tag(config, taxonomy, data, source, batch);
        double seconds = (System.nanoTime() - start) / 1e9;
        MultiLabelScores ours = MultiLabelScores.of(tagged.predicted(), gold);
        // With examples, the same tagger learning by the k-NN vote alone (no linear heads, no similarity prior).
        MultiLabelScores knn = feedback.isEmpty() ? null : MultiLabelScores.of(tag(config.with(Map.of(
                "tagging.embedding.heads-weight", "0", "tagging.embedding.similarity-prior", "0")), taxonomy, data, source, batch)
                .predicted(), gold);
        Map<ConfidenceBand, long[]> bands = new java.util.EnumMap<>(ConfidenceBand.class); // right, proposed
        for (int i = 0; i < data.size(); i++) {
            for (TagAssignment tag : tagged.assigned().get(i)) {
                long[] band = bands.computeIfAbsent(ConfidenceBand.of(tag.confidence()), b -> new long[2]);
                band[0] += gold.get(i).contains(tag.tag()) ? 1 : 0;
                band[1]++;
            }
        }

        MultiLabelScores frequent = mostFrequent(feedback.isEmpty() ? data : feedback, data, gold);
        // The plain-cosine baseline reads the English model's vectors: F's were computed above.
        String model = config.get("tagging.embedding.model-en");
        PlainCosine plain = new PlainCosine(taxonomy, model);
        List<double[]> dataSims = similarities(plain, embed(model, data, batch));
        double threshold;
        String tunedOn;
        if (feedback.isEmpty()) {
            threshold = bestThreshold(plain, dataSims, gold);
            tunedOn = "D, in its favour";
        } else {
            List<Set<String>> feedbackGold = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (Embedded e : feedbackEmbedded) {
                if (e.model().equals(model)) {
                    feedbackGold.add(e.item().tags());
                    vectors.add(e.vector());
                }
            }
            threshold = bestThreshold(plain, similarities(plain, vectors), feedbackGold);
            tunedOn = "F";
        }
        MultiLabelScores cosine = MultiLabelScores.of(above(plain, dataSims, threshold), gold);
        String cosineLabel = String.format(Locale.ROOT, "baseline: cosine >= %.2f (tuned on %s)", threshold, tunedOn);

        StringBuilder byBand = new StringBuilder("precision by confidence band:");
        for (ConfidenceBand band : ConfidenceBand.values()) {
            long[] c = bands.getOrDefault(band, new long[2]);
            byBand.append(String.format(Locale.ROOT, " %s %.3f (%d tags)", band.name().toLowerCase(Locale.ROOT),
                    c[1] == 0 ? 0.0 : (double) c[0] / c[1], c[1]));
        }
        out.println(byBand);
        out.printf(Locale.ROOT, "%-56s %8s %8s %8s %8s %10s%n", "", "micro_p", "micro_r", "micro_f1", "macro_f1", "tags/item");
        print(out, "tagstream " + taggerName + " (" + (feedback.isEmpty() ? "zero-shot" : feedback.size() + " feedback items") + ")", ours);
        if (knn != null) {
            print(out, "baseline: k-NN vote of the examples (no linear heads)", knn);
        }
        print(out, "baseline: most frequent tags (from " + (feedback.isEmpty() ? "D, in its favour" : "F") + ")", frequent);
        print(out, cosineLabel, cosine);
        out.printf(Locale.ROOT, "coverage (items with at least one tag): %.3f (tagstream), %s%n", ours.coverage(),
                knn == null ? "" : String.format(Locale.ROOT, "%.3f (k-NN vote)", knn.coverage()));
        out.printf(Locale.ROOT, "gold tags per item: %.2f; tagged %d items in %.1f s (%.1f items/s)%n",
                ours.goldPerItem(), data.size(), seconds, data.size() / seconds);
        out.printf(Locale.ROOT, "micro_f1=%.3f macro_f1=%.3f%n", ours.microF1(), ours.macroF1());
        return ours;
    }

    /** The taxonomy with only the dimensions {@code keep} (a cut such as debtags' use, field, game, works-with). */
    static Taxonomy restrict(Taxonomy taxonomy, Set<String> keep) {
        List<io.tagstream.udfs.taxonomy.Dimension> dimensions = taxonomy.dimensions().stream().filter(d -> keep.contains(d.id())).toList();
        if (dimensions.size() != keep.size()) {
            throw new IllegalArgumentException("--dimensions " + keep + ": the taxonomy has only " + dimensions.size() + " of them");
        }
        return new Taxonomy(taxonomy.version() + "/" + String.join(",", keep), dimensions,
                taxonomy.tags().stream().filter(t -> keep.contains(t.dimension())).toList(),
                taxonomy.rules().stream().filter(r -> taxonomy.tag(r.tag()).map(t -> keep.contains(t.dimension())).orElse(false)).toList());
    }

    /** The items carrying a tag of the taxonomy, with only those tags. */
    static List<Item> restrict(List<Item> items, Taxonomy taxonomy) {
        List<Item> kept = new ArrayList<>();
        for (Item item : items) {
            Set<String> tags = new TreeSet<>();
            item.tags().stream().filter(t -> taxonomy.tag(t).isPresent()).forEach(tags::add);
            if (!tags.isEmpty()) {
                kept.add(new Item(item.id(), item.title(), item.body(), item.lang(), tags));
            }
        }
        return kept;
    }

    private static void print(PrintStream out, String label, MultiLabelScores s) {
        out.printf(Locale.ROOT, "%-56s %8.3f %8.3f %8.3f %8.3f %10.2f%n", label, s.microPrecision(), s.microRecall(),
                s.microF1(), s.macroF1(), s.predictedPerItem());
    }

    /** What the tagger proposed for each item: the tags, and the assignments with their confidence. */
    record Tagged(List<Set<String>> predicted, List<List<TagAssignment>> assigned) {}

    /** Tags every item through the job's path ({@link ContentTagging}), in micro-batches. */
    static Tagged tag(TagstreamConfig config, Taxonomy taxonomy, List<Item> data, ExampleSource source, int batch) throws Exception {
        List<Set<String>> predicted = new ArrayList<>();
        List<List<TagAssignment>> assigned = new ArrayList<>();
        try (Tagger tagger = Taggers.factory(config, source).create(taxonomy)) {
            ContentTagging tagging = new ContentTagging(taxonomy, tagger, config.getInt("tagging.top-k"));
            for (int from = 0; from < data.size(); from += batch) {
                List<ContentEvent> events = new ArrayList<>();
                for (Item item : data.subList(from, Math.min(data.size(), from + batch))) {
                    events.add(new ContentEvent("eval-" + item.id(), TENANT, item.id(), ContentOp.UPSERT, 1L, Instant.EPOCH,
                            item.title(), item.body(), item.lang(), "eval", null, null));
                }
                for (TaggedContent tagged : tagging.tagAll(events)) {
                    Set<String> tags = new TreeSet<>();
                    tagged.tags().forEach(t -> tags.add(t.tag()));
                    predicted.add(tags);
                    assigned.add(tagged.tags());
                }
            }
        }
        return new Tagged(predicted, assigned);
    }

    /** A labelled item embedded by the model the embedding tagger would choose for it. */
    record Embedded(Item item, String model, float[] vector) {}

    /** Embeds labelled items in micro-batches, each by the model the tagger would choose; in input order. */
    static List<Embedded> embedded(EmbeddingTaggerSettings settings, List<Item> items, int batch) {
        Map<String, List<Item>> byModel = new java.util.LinkedHashMap<>();
        for (Item item : items) {
            byModel.computeIfAbsent(settings.modelFor(item.lang(), item.request().text()), m -> new ArrayList<>()).add(item);
        }
        Map<Item, Embedded> done = new java.util.IdentityHashMap<>();
        for (Map.Entry<String, List<Item>> group : byModel.entrySet()) {
            List<float[]> vectors = embed(group.getKey(), group.getValue(), batch);
            for (int i = 0; i < vectors.size(); i++) {
                Item item = group.getValue().get(i);
                done.put(item, new Embedded(item, group.getKey(), vectors.get(i)));
            }
        }
        List<Embedded> ordered = new ArrayList<>();
        items.forEach(i -> ordered.add(done.get(i)));
        return ordered;
    }

    private static List<float[]> embed(String model, List<Item> items, int batch) {
        List<float[]> vectors = new ArrayList<>();
        for (int from = 0; from < items.size(); from += batch) {
            List<String> texts = new ArrayList<>();
            for (Item item : items.subList(from, Math.min(items.size(), from + batch))) {
                texts.add(item.request().text());
            }
            vectors.addAll(EmbeddingModels.embedAll(model, texts));
        }
        return vectors;
    }

    static MultiLabelScores mostFrequent(List<Item> statsFrom, List<Item> data, List<Set<String>> gold) {
        Map<String, Integer> counts = new HashMap<>();
        long total = 0;
        for (Item item : statsFrom) {
            for (String tag : item.tags()) {
                counts.merge(tag, 1, Integer::sum);
                total++;
            }
        }
        int n = (int) Math.round((double) total / Math.max(1, statsFrom.size()));
        Set<String> top = new LinkedHashSet<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .forEach(e -> top.add(e.getKey()));
        List<Set<String>> predicted = new ArrayList<>();
        data.forEach(i -> predicted.add(top));
        return MultiLabelScores.of(predicted, gold);
    }

    private static List<double[]> similarities(PlainCosine plain, List<float[]> vectors) {
        List<double[]> sims = new ArrayList<>();
        vectors.forEach(v -> sims.add(plain.similarities(v)));
        return sims;
    }

    private static List<Set<String>> above(PlainCosine plain, List<double[]> sims, double threshold) {
        List<String> ids = plain.tagIds();
        List<Set<String>> predicted = new ArrayList<>();
        for (double[] s : sims) {
            Set<String> tags = new TreeSet<>();
            for (int t = 0; t < s.length; t++) {
                if (s[t] >= threshold) {
                    tags.add(ids.get(t));
                }
            }
            predicted.add(tags);
        }
        return predicted;
    }

    private static double bestThreshold(PlainCosine plain, List<double[]> sims, List<Set<String>> gold) {
        double best = 1;
        double bestF1 = -1;
        for (int step = 20; step <= 99; step++) {
            double threshold = step / 100.0;
            double f1 = MultiLabelScores.of(above(plain, sims, threshold), gold).microF1();
            if (f1 > bestF1) {
                bestF1 = f1;
                best = threshold;
            }
        }
        return best;
    }

    static List<Item> read(Path file) throws IOException {
        List<Item> items = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(text);
            } catch (IOException e) {
                throw new IOException(file + " line " + line + ": not JSON: " + Json.describe(e), e);
            }
            if (!node.path("id").isTextual()) {
                throw new IOException(file + " line " + line + ": field 'id' is required and must be a string");
            }
            Set<String> tags = new TreeSet<>();
            node.path("tags").forEach(t -> tags.add(t.asText()));
            items.add(new Item(node.get("id").asText(), node.path("title").asText(""), node.path("body").asText(""),
                    node.hasNonNull("lang") ? node.get("lang").asText() : null, tags));
        }
        return items;
    }
}
