package io.tagstream.udfs.tagging.embedding;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggerFactory;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tags a content with an in-process embedding model (BGE small, English or Chinese by the
 * content's language), in two ways:
 *
 * <ul>
 *   <li><b>zero-shot</b>: the content's cosine similarity to each tag's text, standardised over
 *       all tags for this content; a tag {@code zeroShotMinZ} standard deviations above the mean
 *       is proposed;
 *   <li><b>from examples</b>: once the tenant has confirmed examples, the nearest ones vote
 *       (soft k-NN) and a tag is proposed when its vote reaches its dimension's threshold,
 *       learned from the examples by leave-one-out ({@link DimensionThresholds}). Tags no
 *       example carries yet are still proposed zero-shot, above the stricter
 *       {@code unseenTagMinZ}.
 * </ul>
 *
 * Confidence: for example votes, the learned threshold maps to 0.5 and a unanimous vote to 1
 * (measured on held-apart debtags items: high band 81 % precise, medium 59 %, low 28 %). A
 * zero-shot similarity is weak evidence (measured 15–56 % precise by z on the same items), so
 * zero-shot tags stay in the low band: {@value #ZERO_SHOT_CEILING} × (1 − e^(−z / {@value
 * #ZERO_SHOT_Z_SCALE})), 0.24 at z = 1, 0.47 at z = 3, 0.52 at z = 4. With the ensemble's
 * minimum confidence (0.5 by default) a similarity alone stands from z ≈ 3.6; below that it is
 * a candidate that a mention of the tag in the text can confirm.
 * New examples are read from the {@link ExampleSource} every {@code refreshMillis}.
 */
public final class EmbeddingTagger implements Tagger {
    static final double ZERO_SHOT_CEILING = 0.6;
    static final double ZERO_SHOT_Z_SCALE = 2.0;

    private final Taxonomy taxonomy;
    private final EmbeddingTaggerSettings settings;
    private final ExampleSource.Reader examples;
    private final Map<String, ExampleIndex> indexes = new HashMap<>(); // model + tenant
    private final Map<String, Learned> learned = new HashMap<>();
    private final Map<String, Integer> calibratedAt = new HashMap<>();
    private long revision;
    private long nextRefreshNanos;

    public EmbeddingTagger(Taxonomy taxonomy, EmbeddingTaggerSettings settings, ExampleSource.Reader examples) {
        this.taxonomy = taxonomy;
        this.settings = settings;
        this.examples = examples;
    }

    public static TaggerFactory factory(EmbeddingTaggerSettings settings, ExampleSource examples) {
        return taxonomy -> {
            try {
                return new EmbeddingTagger(taxonomy, settings, examples.open());
            } catch (Exception e) {
                throw new IllegalStateException("cannot open the example store: " + e.getMessage(), e);
            }
        };
    }

    /** The model that embeds this request's text. */
    public String modelFor(TaggingRequest request) {
        return settings.modelFor(request.lang(), request.text());
    }

    @Override
    public List<TagAssignment> tag(TaggingRequest request) {
        return tagAll(List.of(request)).get(0);
    }

    @Override
    public List<List<TagAssignment>> tagAll(List<TaggingRequest> requests) {
        refreshIfDue();
        Map<String, List<Integer>> byModel = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byModel.computeIfAbsent(modelFor(requests.get(i)), m -> new ArrayList<>()).add(i);
        }
        List<List<TagAssignment>> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            results.add(null);
        }
        for (Map.Entry<String, List<Integer>> group : byModel.entrySet()) {
            String model = group.getKey();
            List<String> texts = new ArrayList<>();
            for (int i : group.getValue()) {
                texts.add(requests.get(i).text());
            }
            List<float[]> vectors = EmbeddingModels.embedAll(model, texts);
            for (int j = 0; j < vectors.size(); j++) {
                int i = group.getValue().get(j);
                results.set(i, score(requests.get(i), model, vectors.get(j)));
            }
        }
        return results;
    }

    /** Tags one content from its embedding. */
    List<TagAssignment> score(TaggingRequest request, String model, float[] vector) {
        List<TagAssignment> tags = new ArrayList<>();
        ExampleIndex index = indexes.get(model + "\u0000" + request.tenant());
        Learned learned = index == null ? null : calibrated(model, request.tenant(), index);
        Set<String> known = learned == null ? Set.of() : index.knownTags();
        TagProfiles profiles = TagProfiles.of(taxonomy, model);
        double[] z = zScores(profiles, vector);
        if (learned != null) {
            Map<String, Double> votes = ExampleIndex.vote(vector, index.voters(), null, settings.neighbours(),
                    settings.temperature());
            Map<String, Double> heads = learned.heads() == null ? Map.of() : learned.heads().scores(vector);
            Map<String, Double> combined = combine(votes, heads, zByTag(profiles, z), settings);
            for (Map.Entry<String, Double> entry : combined.entrySet()) {
                TaxonomyTag tag = taxonomy.tag(entry.getKey()).orElse(null);
                double threshold = learned.thresholds().of(tag == null ? "" : tag.dimension());
                if (tag != null && entry.getValue() >= threshold) {
                    double confidence = 0.5 + 0.5 * (entry.getValue() - threshold) / (1 - threshold);
                    String reason = learned.heads() == null
                            ? String.format(java.util.Locale.ROOT, "nearest confirmed examples vote %.2f (threshold of %s: %.2f)",
                                    entry.getValue(), tag.dimension(), threshold)
                            : String.format(java.util.Locale.ROOT,
                                    "learned from confirmed examples: %.2f (nearest examples vote %.2f, linear head %.2f; threshold of %s: %.2f)",
                                    entry.getValue(), votes.getOrDefault(tag.id(), 0.0), heads.getOrDefault(tag.id(), 0.0),
                                    tag.dimension(), threshold);
                    tags.add(new TagAssignment(tag.id(), tag.dimension(), round(confidence), TagSource.EMBEDDING,
                            model + (learned.heads() == null ? "+knn" : "+linear+knn"), reason));
                }
            }
        }
        if (z == null) {
            return tags;
        }
        double[] sims = new double[z.length];
        for (int t = 0; t < sims.length; t++) {
            sims[t] = Vectors.dot(vector, profiles.vectors[t]);
        }
        double[] calibrated = ZeroShotCalibration.scores(sims, profiles.dimensions);
        double minZ = learned == null ? settings.zeroShotMinZ() : settings.unseenTagMinZ();
        for (int t = 0; t < z.length; t++) {
            TaxonomyTag tag = profiles.tags.get(t);
            if (calibrated[t] >= minZ && !known.contains(tag.id())) {
                tags.add(new TagAssignment(tag.id(), tag.dimension(), round(zeroShotConfidence(calibrated[t])), TagSource.EMBEDDING,
                        model, String.format(java.util.Locale.ROOT,
                                "similar to the tag's description (cosine %.3f; %.1f sd above this content's mean over all tags, "
                                        + "zero-shot score %.1f with its dimension's alternatives)", sims[t], z[t], calibrated[t])));
            }
        }
        return tags;
    }

    /**
     * A tag's learned score: the k-NN vote and the linear head, weighted, plus the similarity
     * prior on the tag's z-score (from 0); only tags the vote or the head score.
     */
    static Map<String, Double> combine(Map<String, Double> votes, Map<String, Double> heads, Map<String, Double> z,
            EmbeddingTaggerSettings settings) {
        double w = settings.headsWeight();
        Map<String, Double> combined = new HashMap<>();
        votes.forEach((tag, vote) -> combined.merge(tag, (1 - w) * vote, Double::sum));
        if (w > 0) {
            heads.forEach((tag, head) -> combined.merge(tag, w * head, Double::sum));
        }
        if (settings.similarityPrior() > 0) {
            combined.replaceAll((tag, score) -> score + settings.similarityPrior() * Math.max(0, z.getOrDefault(tag, 0.0)));
        }
        return combined;
    }

    /** The content's similarity to each tag, standardised over the taxonomy's tags; null with fewer than two tags. */
    static double[] zScores(TagProfiles profiles, float[] vector) {
        int n = profiles.vectors.length;
        if (n < 2) {
            return null;
        }
        double[] sims = new double[n];
        for (int t = 0; t < n; t++) {
            sims[t] = Vectors.dot(vector, profiles.vectors[t]);
        }
        return ZeroShotCalibration.standardised(sims);
    }

    private static Map<String, Double> zByTag(TagProfiles profiles, double[] z) {
        Map<String, Double> byTag = new HashMap<>();
        if (z != null) {
            for (int t = 0; t < z.length; t++) {
                byTag.put(profiles.tags.get(t).id(), z[t]);
            }
        }
        return byTag;
    }

    /** What a tenant's examples taught: thresholds per dimension, and the linear heads (null for the k-NN vote alone). */
    record Learned(DimensionThresholds thresholds, LinearTagHeads heads) {}

    /** The confidence of a tag {@code z} standard deviations above the content's mean similarity. */
    static double zeroShotConfidence(double z) {
        return ZERO_SHOT_CEILING * (1 - Math.exp(-Math.max(0, z) / ZERO_SHOT_Z_SCALE));
    }

    private Learned calibrated(String model, String tenant, ExampleIndex index) {
        if (index.size() < settings.minExamples()) {
            return null;
        }
        String key = model + "\u0000" + tenant;
        Integer at = calibratedAt.get(key);
        // Leave-one-out costs n² dot products: refit and recalibrate when the examples grew by a tenth.
        if (at == null || index.size() >= at * 1.1 || index.size() <= at * 0.9) {
            learned.put(key, learn(model, index));
            calibratedAt.put(key, index.size());
        }
        return learned.get(key);
    }

    /** Fits the heads and learns the thresholds from leave-one-out scores of every confirmed example. */
    private Learned learn(String model, ExampleIndex index) {
        java.util.function.Function<String, String> dimensionOf = tag -> taxonomy.tag(tag).map(TaxonomyTag::dimension).orElse("");
        List<ExampleIndex.Item> voters = index.voters();
        if (settings.headsWeight() <= 0 && settings.similarityPrior() <= 0) {
            return new Learned(DimensionThresholds.calibrate(voters, dimensionOf, settings.neighbours(), settings.temperature(),
                    settings.minPositives()), null);
        }
        LinearTagHeads heads = LinearTagHeads.fit(index.items(), settings.ridge());
        Map<String, Map<String, Double>> headsOut = new HashMap<>();
        List<ExampleIndex.Item> all = index.items();
        for (int i = 0; i < all.size(); i++) {
            headsOut.put(all.get(i).contentId(), heads.leaveOneOut().get(i));
        }
        TagProfiles profiles = TagProfiles.of(taxonomy, model);
        List<Map<String, Double>> scores = new ArrayList<>(voters.size());
        List<Set<String>> gold = new ArrayList<>(voters.size());
        for (ExampleIndex.Item item : voters) {
            Map<String, Double> votes = ExampleIndex.vote(item.vector(), voters, item, settings.neighbours(), settings.temperature());
            scores.add(combine(votes, headsOut.get(item.contentId()), zByTag(profiles, zScores(profiles, item.vector())), settings));
            gold.add(item.tags());
        }
        return new Learned(DimensionThresholds.calibrate(scores, gold, dimensionOf, settings.minPositives()),
                settings.headsWeight() > 0 ? heads : null);
    }

    /** Reads the examples changed since the last refresh, at most every {@code refreshMillis}. */
    public void refreshIfDue() {
        long now = System.nanoTime();
        if (now - nextRefreshNanos < 0) {
            return;
        }
        nextRefreshNanos = now + settings.refreshMillis() * 1_000_000;
        try {
            for (TagExample example : examples.changedSince(revision)) {
                indexes.computeIfAbsent(example.model() + "\u0000" + example.tenant(), k -> new ExampleIndex()).apply(example);
                revision = Math.max(revision, example.revision());
            }
        } catch (Exception e) {
            // The store being away must not stop tagging: keep the examples we have, retry later.
            org.slf4j.LoggerFactory.getLogger(EmbeddingTagger.class)
                    .warn("could not read new tag examples (keeping {} revisions): {}", revision, e.toString());
        }
    }

    /**
     * The taxonomy tag whose text is most similar to {@code label}, if at least
     * {@code minSimilarity}: maps a language model's out-of-taxonomy proposal onto the taxonomy.
     */
    public java.util.Optional<TaxonomyTag> closestTag(String label, double minSimilarity) {
        String model = settings.modelFor(null, label);
        TagProfiles profiles = TagProfiles.of(taxonomy, model);
        float[] vector = EmbeddingModels.embedAll(model, List.of(label)).get(0);
        TaxonomyTag best = null;
        double bestSim = minSimilarity;
        for (int t = 0; t < profiles.vectors.length; t++) {
            double sim = Vectors.dot(vector, profiles.vectors[t]);
            if (sim >= bestSim) {
                bestSim = sim;
                best = profiles.tags.get(t);
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    /** The learned thresholds of one tenant and model, for reports; empty before enough examples. */
    public Map<String, Double> thresholds(String model, String tenant) {
        ExampleIndex index = indexes.get(model + "\u0000" + tenant);
        Learned fitted = index == null ? null : calibrated(model, tenant, index);
        if (fitted == null) {
            return Map.of();
        }
        Map<String, Double> shown = new java.util.TreeMap<>(fitted.thresholds().byDimension());
        shown.put("*", fitted.thresholds().global());
        return shown;
    }

    private static double round(double confidence) {
        return Math.round(Math.min(1, Math.max(0, confidence)) * 10_000) / 10_000.0;
    }

    @Override
    public void close() throws Exception {
        examples.close();
    }
}
