package io.tagstream.udfs.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes a knowledge graph in the taxonomy entry format (see {@link TaxonomyFile}), in
 * JSON, YAML or CSV. Tag entries may add {@code nsfw_level}, {@code sensitive}, {@code status},
 * {@code implies}, {@code conflicts}, {@code broader} and {@code related}; entries of kind
 * {@code policy} set a tenant's {@code max_nsfw}, {@code strict_conflicts} and {@code blocked_tags}.
 * In CSV, list fields hold their items separated by {@code |}.
 */
public final class KnowledgeGraphFile {
    public enum Format {
        JSON,
        YAML,
        CSV;

        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return YAML;
            }
            return name.endsWith(".csv") ? CSV : JSON;
        }
    }

    static final List<String> CSV_COLUMNS = List.of("kind", "id", "dimension", "label", "description", "aliases",
            "nsfw_level", "sensitive", "status", "implies", "conflicts", "broader", "related", "merged_into", "tenant", "max_nsfw",
            "strict_conflicts", "blocked_tags");
    private static final Set<String> LIST_FIELDS = Set.of("aliases", "implies", "conflicts", "related", "blocked_tags");

    private KnowledgeGraphFile() {}

    public static KnowledgeGraph read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), Format.of(file), file.toString());
    }

    public static KnowledgeGraph parse(byte[] bytes, Format format, String origin) throws IOException {
        ArrayNode entries = entries(bytes, format, origin);
        Taxonomy taxonomy = TaxonomyFile.parse(entries, TaxonomyFile.digest(bytes), origin);
        KnowledgeGraph.Builder graph = KnowledgeGraph.builder(taxonomy);
        int index = 0;
        try {
            for (JsonNode entry : entries) {
                String where = origin + " entry " + index++;
                switch (entry.path("kind").asText()) {
                    case "tag" -> relations(graph, entry);
                    case "policy" -> graph.policy(text(entry, "tenant", where), TenantPolicy.DEFAULT.with(policy(entry)));
                    default -> { }
                }
            }
            return graph.build();
        } catch (IllegalArgumentException e) {
            throw new IOException("knowledge graph " + origin + ": " + e.getMessage(), e);
        }
    }

    private static void relations(KnowledgeGraph.Builder graph, JsonNode entry) {
        String id = entry.get("id").asText();
        TagStatus status = entry.hasNonNull("status") ? status(id, entry.get("status").asText()) : TagStatus.ACTIVE;
        NsfwLevel nsfw = entry.hasNonNull("nsfw_level") ? NsfwLevel.parse(entry.get("nsfw_level").asText()) : NsfwLevel.ALL_AGES;
        graph.profile(id, new TagProfile(status, nsfw, flag(id, entry.get("sensitive"))));
        entry.path("implies").forEach(t -> graph.implies(id, t.asText()));
        entry.path("conflicts").forEach(t -> graph.conflict(id, t.asText()));
        entry.path("related").forEach(t -> graph.related(id, t.asText()));
        if (entry.hasNonNull("broader")) {
            graph.broader(id, entry.get("broader").asText());
        }
        if (entry.hasNonNull("merged_into")) {
            graph.merged(id, entry.get("merged_into").asText());
        }
    }

    private static TagStatus status(String tag, String text) {
        try {
            return TagStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tag '" + tag + "': status must be active, deprecated, blocked or merged,"
                    + " was '" + text + "'");
        }
    }

    private static boolean flag(String tag, JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        String text = value.asText().trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("tag '" + tag + "': sensitive must be true or false, was '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private static Map<String, String> policy(JsonNode entry) {
        Map<String, String> settings = new java.util.HashMap<>();
        if (entry.hasNonNull("max_nsfw")) {
            settings.put("max_nsfw", entry.get("max_nsfw").asText());
        }
        if (entry.hasNonNull("strict_conflicts")) {
            settings.put("strict_conflicts", entry.get("strict_conflicts").asText());
        }
        if (entry.has("blocked_tags")) {
            List<String> blocked = new ArrayList<>();
            entry.get("blocked_tags").forEach(t -> blocked.add(t.asText()));
            settings.put("blocked_tags", String.join(",", blocked));
        }
        return settings;
    }

    /** Every format becomes the JSON entry array; CSV rows get their list fields split. */
    static ArrayNode entries(byte[] bytes, Format format, String origin) throws IOException {
        JsonNode root;
        try {
            root = switch (format) {
                case JSON -> Json.mapper().readTree(bytes);
                case YAML -> new YAMLMapper().readTree(bytes);
                case CSV -> csvEntries(bytes);
            };
        } catch (IOException e) {
            throw new IOException("taxonomy " + origin + " is not valid " + format + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException("taxonomy " + origin + " must be a list of dimension, tag and policy entries");
        }
        return (ArrayNode) root;
    }

    private static ArrayNode csvEntries(byte[] bytes) throws IOException {
        ArrayNode entries = Json.mapper().createArrayNode();
        try (MappingIterator<Map<String, String>> rows = new CsvMapper()
                .readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(bytes)) {
            while (rows.hasNext()) {
                ObjectNode entry = entries.addObject();
                for (Map.Entry<String, String> cell : rows.next().entrySet()) {
                    if (cell.getValue() == null || cell.getValue().isEmpty()) {
                        continue;
                    }
                    if (LIST_FIELDS.contains(cell.getKey())) {
                        ArrayNode items = entry.putArray(cell.getKey());
                        for (String item : cell.getValue().split("\\|")) {
                            if (!item.isBlank()) {
                                items.add(item.trim());
                            }
                        }
                    } else {
                        entry.put(cell.getKey(), cell.getValue());
                    }
                }
            }
        }
        return entries;
    }

    /** The graph as entries: dimensions, tags with every relation, tenant policies. */
    public static ArrayNode toEntries(KnowledgeGraph graph) {
        ArrayNode entries = Json.mapper().createArrayNode();
        for (Dimension d : graph.taxonomy().dimensions()) {
            ObjectNode entry = entries.addObject().put("kind", "dimension").put("id", d.id()).put("label", d.label());
            if (d.description() != null) {
                entry.put("description", d.description());
            }
        }
        for (TaxonomyTag t : graph.taxonomy().tags()) {
            ObjectNode entry = entries.addObject().put("kind", "tag").put("id", t.id()).put("dimension", t.dimension())
                    .put("label", t.label());
            if (t.description() != null) {
                entry.put("description", t.description());
            }
            list(entry, "aliases", t.aliases());
            TagProfile profile = graph.profile(t.id());
            if (profile.status() != TagStatus.ACTIVE) {
                entry.put("status", profile.status().name().toLowerCase(Locale.ROOT));
            }
            if (profile.nsfwLevel() != NsfwLevel.ALL_AGES) {
                entry.put("nsfw_level", profile.nsfwLevel().wireName());
            }
            if (profile.sensitive()) {
                entry.put("sensitive", true);
            }
            list(entry, "implies", graph.directlyImplied(t.id()));
            list(entry, "conflicts", graph.conflictsOf(t.id()));
            list(entry, "related", graph.relatedTo(t.id()));
            graph.broaderOf(t.id()).ifPresent(b -> entry.put("broader", b));
            if (graph.merges().containsKey(t.id())) {
                entry.put("merged_into", graph.merges().get(t.id()));
            }
        }
        graph.tenantPolicies().forEach((tenant, policy) -> {
            ObjectNode entry = entries.addObject().put("kind", "policy").put("tenant", tenant)
                    .put("max_nsfw", policy.maxNsfw().wireName()).put("strict_conflicts", policy.strictConflicts());
            list(entry, "blocked_tags", policy.blockedTags());
        });
        return entries;
    }

    public static byte[] write(KnowledgeGraph graph, Format format) throws IOException {
        ArrayNode entries = toEntries(graph);
        return switch (format) {
            case JSON -> Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(entries);
            case YAML -> new YAMLMapper().writeValueAsBytes(entries);
            case CSV -> csv(entries);
        };
    }

    private static byte[] csv(ArrayNode entries) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        CSV_COLUMNS.forEach(schema::addColumn);
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode entry : entries) {
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (String column : CSV_COLUMNS) {
                JsonNode value = entry.get(column);
                if (value == null) {
                    row.put(column, "");
                } else if (value.isArray()) {
                    List<String> items = new ArrayList<>();
                    value.forEach(v -> items.add(v.asText()));
                    row.put(column, String.join("|", items));
                } else {
                    row.put(column, value.asText());
                }
            }
            rows.add(row);
        }
        return new CsvMapper().writer(schema.build().withHeader()).writeValueAsBytes(rows);
    }

    private static void list(ObjectNode entry, String field, java.util.Collection<String> values) {
        if (!values.isEmpty()) {
            ArrayNode items = entry.putArray(field);
            new TreeSet<>(values).forEach(items::add);
        }
    }

    private static String text(JsonNode entry, String field, String where) {
        if (!entry.hasNonNull(field)) {
            throw new IllegalArgumentException(where + ": field '" + field + "' is required");
        }
        return entry.get(field).asText();
    }
}
