package io.tagstream.udfs.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a taxonomy from its JSON file: an array of entries
 * {@code {"kind": "dimension"|"tag", "id", "dimension", "label", "description", "aliases": [...]}}
 * and keyword rules {@code {"kind": "rule", "tag", "all": [...], "confidence"}} ({@link TagRule}).
 * The debtags vocabulary's spelling ({@code "kind": "facet"}, {@code "facet"}) is read as well.
 * The taxonomy's version is a digest of the file's bytes, so the same file is the same version
 * on every machine.
 */
public final class TaxonomyFile {
    /** A rule written by a person is a strong statement: high confidence unless it says otherwise. */
    static final double DEFAULT_RULE_CONFIDENCE = 0.9;

    private TaxonomyFile() {}

    public static Taxonomy read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    public static Taxonomy read(InputStream in, String origin) throws IOException {
        return parse(in.readAllBytes(), origin);
    }

    public static Taxonomy parse(byte[] bytes, String origin) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IOException("taxonomy " + origin + " is not valid JSON: " + Json.describe(e), e);
        }
        return parse(root, digest(bytes), origin);
    }

    /** Reads an already parsed entry array; {@code version} identifies its content. */
    public static Taxonomy parse(JsonNode root, String version, String origin) throws IOException {
        if (root == null || !root.isArray()) {
            throw new IOException("taxonomy " + origin + " must be a JSON array of dimension and tag entries");
        }
        List<Dimension> dimensions = new ArrayList<>();
        List<TaxonomyTag> tags = new ArrayList<>();
        List<TagRule> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : root) {
            String where = origin + " entry " + index++;
            String kind = text(entry, "kind", where);
            switch (kind) {
                case "dimension", "facet" -> dimensions.add(new Dimension(
                        text(entry, "id", where), text(entry, "label", where), optional(entry, "description")));
                case "tag" -> tags.add(new TaxonomyTag(
                        text(entry, "id", where),
                        text(entry, entry.hasNonNull("dimension") || !entry.hasNonNull("facet") ? "dimension" : "facet", where),
                        text(entry, "label", where),
                        optional(entry, "description"),
                        aliases(entry, where)));
                case "rule" -> rules.add(rule(entry, where));
                case "policy" -> {
                    // A tenant policy: part of the knowledge graph (KnowledgeGraphFile), not of the names.
                }
                default -> throw new IOException(where + ": unknown kind '" + kind + "' (dimension, tag, rule or policy)");
            }
        }
        try {
            return new Taxonomy(version, dimensions, tags, rules);
        } catch (IllegalArgumentException e) {
            throw new IOException("taxonomy " + origin + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode entry, String field, String where) throws IOException {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new IOException(where + ": field '" + field + "' is required and must be a string");
        }
        return value.textValue();
    }

    private static String optional(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static TagRule rule(JsonNode entry, String where) throws IOException {
        JsonNode confidence = entry.get("confidence");
        if (confidence != null && !confidence.isNumber()) {
            throw new IOException(where + ": field 'confidence' must be a number");
        }
        List<String> all = strings(entry, "all", where);
        try {
            return new TagRule(text(entry, "tag", where), all, confidence == null ? DEFAULT_RULE_CONFIDENCE : confidence.doubleValue());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static List<String> aliases(JsonNode entry, String where) throws IOException {
        return strings(entry, "aliases", where);
    }

    private static List<String> strings(JsonNode entry, String field, String where) throws IOException {
        List<String> aliases = new ArrayList<>();
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return aliases;
        }
        if (!value.isArray()) {
            throw new IOException(where + ": field '" + field + "' must be an array of strings");
        }
        for (JsonNode alias : value) {
            if (!alias.isTextual() || alias.textValue().isBlank()) {
                throw new IOException(where + ": field '" + field + "' must hold non-blank strings");
            }
            aliases.add(alias.textValue());
        }
        return aliases;
    }

    public static String digest(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "tx-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
