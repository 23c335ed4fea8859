package io.tagstream.jobs;

import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.postgres.CooccurrenceStatement;
import io.tagstream.sinks.postgres.SqlRows;
import io.tagstream.sinks.postgres.TaxonomyStore;
import io.tagstream.udfs.graph.InvalidCommandException;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.KnowledgeGraphFile;
import io.tagstream.udfs.graph.MergeCandidates;
import io.tagstream.udfs.tagging.embedding.EmbeddingModels;
import io.tagstream.udfs.graph.TaxonomyChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tagstream taxonomy import FILE}, {@code export [--format F] [--out FILE]} and
 * {@code related TENANT TAG} (co-occurrence suggestions by lift).
 *
 * <p>Import replaces the stored graph (JSON, YAML or CSV, by the file's extension); a running job
 * keeps its graph until it is restarted, and takes live changes from {@code taxonomy.commands}.
 * Export writes the stored graph with every command the job has applied since.
 */
public final class TaxonomyTool {
    private TaxonomyTool() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        Map<String, String> options = options(args);
        TagstreamConfig config = TagstreamConfig.load(
                options.containsKey("config") ? Path.of(options.get("config")) : null, System.getenv());
        try (Connection c = config.postgres().open()) {
            switch (args[0]) {
                case "import" -> {
                    if (args.length < 2 || args[1].startsWith("--")) {
                        usage();
                    }
                    Path file = Path.of(args[1]);
                    KnowledgeGraph graph = KnowledgeGraphFile.read(file);
                    TaxonomyStore.save(c, graph, file.toString());
                    System.out.printf("imported taxonomy %s from %s: %d dimensions, %d tags%n", graph.version(), file,
                            graph.taxonomy().dimensions().size(), graph.taxonomy().tags().size());
                    System.out.println("restart the tagging job to use it, or send live changes to taxonomy.commands");
                    if (!graph.taxonomy().rules().isEmpty()) {
                        // The stored graph has no table for them (yet): say so rather than drop them quietly.
                        System.out.printf("the file's %d keyword rules are not stored; a job reads them only from "
                                + "taxonomy.file%n", graph.taxonomy().rules().size());
                    }
                }
                case "export" -> {
                    KnowledgeGraph graph = current(c);
                    KnowledgeGraphFile.Format format = KnowledgeGraphFile.Format.valueOf(
                            options.getOrDefault("format", "json").toUpperCase(Locale.ROOT));
                    byte[] out = KnowledgeGraphFile.write(graph, format);
                    if (options.containsKey("out")) {
                        Files.write(Path.of(options.get("out")), out);
                        System.err.printf("exported taxonomy %s to %s%n", graph.version(), options.get("out"));
                    } else {
                        System.out.write(out);
                        System.out.flush();
                    }
                }
                case "related" -> {
                    if (args.length < 3) {
                        usage();
                    }
                    String tenant = args[1];
                    String tag = args[2];
                    int minSupport = Integer.parseInt(options.getOrDefault("min-support", "2"));
                    int limit = Integer.parseInt(options.getOrDefault("limit", "10"));
                    List<String[]> rows = SqlRows.query(c, CooccurrenceStatement.RELATED, tenant, tag, tenant, tag, tag,
                            minSupport, tenant, tag, tenant, limit);
                    System.out.printf("tags related to %s in %s (contents together >= %d), by lift:%n", tag, tenant, minSupport);
                    for (String[] r : rows) {
                        System.out.printf("  %-40s together %6s  lift %7s  pmi %7s%n", r[0], r[1], r[2], r[3]);
                    }
                    if (rows.isEmpty()) {
                        System.out.println("  (none yet)");
                    }
                }
                case "merge-candidates" -> mergeCandidates(c, Double.parseDouble(options.getOrDefault("threshold", "0.9")));
                default -> usage();
            }
        }
    }

    /** The stored graph with the commands the job applied, in the order it applied them. */
    static KnowledgeGraph current(Connection c) throws Exception {
        KnowledgeGraph graph = TaxonomyStore.load(c)
                .orElseThrow(() -> new IOException("no taxonomy stored yet: run ./tagstream taxonomy import FILE"));
        for (String[] row : SqlRows.query(c, "SELECT command_id, command, tenant, tag, target, attributes::text, actor,"
                + " issued_at::text FROM taxonomy_commands ORDER BY recorded_at, command_id")) {
            @SuppressWarnings("unchecked")
            Map<String, String> attributes = Json.mapper().readValue(row[5], HashMap.class);
            TaxonomyCommand command = new TaxonomyCommand(row[0], TaxonomyCommandType.valueOf(row[1]), row[2], row[3],
                    row[4], attributes, row[6], Instant.now());
            try {
                graph = TaxonomyChange.apply(graph, command);
            } catch (InvalidCommandException e) {
                throw new IOException("the applied command " + row[0] + " no longer applies: " + e.getMessage(), e);
            }
        }
        return graph;
    }

    /**
     * Embeds every live tag's text (label, description, aliases) with the model of its language and
     * writes the pairs more similar than {@code threshold} to {@code tag_merge_candidates} for
     * review. Nothing is merged; a reviewed pair keeps its status.
     */
    public static void mergeCandidates(Connection c, double threshold) throws Exception {
        KnowledgeGraph graph = current(c);
        Map<String, Map<String, String>> textsByModel = new java.util.TreeMap<>();
        for (io.tagstream.udfs.taxonomy.TaxonomyTag tag : graph.taxonomy().tags()) {
            if (graph.merges().containsKey(tag.id())) {
                continue;
            }
            String text = String.join(", ", java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(tag.label(), tag.description()), tag.aliases().stream())
                    .filter(t -> t != null && !t.isBlank()).toList());
            String model = EmbeddingModels.isChinese(null, text) ? EmbeddingModels.BGE_SMALL_ZH : EmbeddingModels.BGE_SMALL_EN;
            textsByModel.computeIfAbsent(model, m -> new java.util.LinkedHashMap<>()).put(tag.id(), text);
        }
        int written = 0;
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO tag_merge_candidates (tag_a, tag_b, similarity, evidence)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (tag_a, tag_b) DO UPDATE SET similarity = EXCLUDED.similarity,"
                + " evidence = EXCLUDED.evidence WHERE tag_merge_candidates.status = 'pending'")) {
            for (Map.Entry<String, Map<String, String>> group : textsByModel.entrySet()) {
                List<String> ids = List.copyOf(group.getValue().keySet());
                List<float[]> vectors = EmbeddingModels.embedAll(group.getKey(), List.copyOf(group.getValue().values()));
                Map<String, float[]> byTag = new HashMap<>();
                for (int i = 0; i < ids.size(); i++) {
                    byTag.put(ids.get(i), vectors.get(i));
                }
                for (MergeCandidates.Candidate candidate : MergeCandidates.find(byTag, group.getValue(), threshold)) {
                    upsert.setString(1, candidate.tagA());
                    upsert.setString(2, candidate.tagB());
                    upsert.setDouble(3, candidate.similarity());
                    upsert.setString(4, candidate.evidence() + " (" + group.getKey() + ")");
                    upsert.executeUpdate();
                    System.out.printf("  %-36s %-36s %.3f%n", candidate.tagA(), candidate.tagB(), candidate.similarity());
                    written++;
                }
            }
        }
        System.out.printf("%d merge candidates above %.2f written to tag_merge_candidates for review%n", written, threshold);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].startsWith("--")) {
                options.put(args[i].substring(2), args[i + 1]);
            }
        }
        return options;
    }

    private static void usage() {
        System.err.println("usage: tagstream taxonomy import FILE(.json|.yaml|.csv)");
        System.err.println("       tagstream taxonomy export [--format json|yaml|csv] [--out FILE]");
        System.err.println("       tagstream taxonomy related TENANT TAG [--min-support N] [--limit N]");
        System.err.println("       tagstream taxonomy merge-candidates [--threshold 0.9]");
        System.exit(2);
    }
}
