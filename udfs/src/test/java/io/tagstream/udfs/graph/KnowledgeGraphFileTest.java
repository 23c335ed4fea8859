package io.tagstream.udfs.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.udfs.graph.KnowledgeGraphFile.Format;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class KnowledgeGraphFileTest {

    /** The same small graph three times: every relation, a rating, a sensitive tag, statuses, a policy. */
    private static final String JSON = """
            [
              {"kind": "dimension", "id": "tech", "label": "Technology", "description": "what it is built with"},
              {"kind": "dimension", "id": "tone", "label": "Tone"},
              {"kind": "tag", "id": "kafka", "dimension": "tech", "label": "Apache Kafka",
               "description": "a log, distributed", "aliases": ["kfk", "卡夫卡"], "implies": ["streaming"],
               "related": ["flink"], "broader": "streaming"},
              {"kind": "tag", "id": "flink", "dimension": "tech", "label": "Flink", "implies": ["streaming", "jvm"]},
              {"kind": "tag", "id": "streaming", "dimension": "tech", "label": "Streaming", "conflicts": ["batch"]},
              {"kind": "tag", "id": "batch", "dimension": "tech", "label": "Batch", "status": "deprecated"},
              {"kind": "tag", "id": "jvm", "dimension": "tech", "label": "JVM"},
              {"kind": "tag", "id": "snark", "dimension": "tone", "label": "Snark", "nsfw_level": "r15",
               "sensitive": true},
              {"kind": "tag", "id": "explicit", "dimension": "tone", "label": "Explicit", "nsfw_level": "r18"},
              {"kind": "tag", "id": "hateful", "dimension": "tone", "label": "Hateful", "status": "blocked"},
              {"kind": "policy", "tenant": "acme", "max_nsfw": "r15", "strict_conflicts": true,
               "blocked_tags": ["batch"]}
            ]
            """;

    private static final String YAML = """
            - kind: dimension
              id: tech
              label: Technology
              description: what it is built with
            - kind: dimension
              id: tone
              label: Tone
            - kind: tag
              id: kafka
              dimension: tech
              label: Apache Kafka
              description: a log, distributed
              aliases: [kfk, 卡夫卡]
              implies: [streaming]
              related: [flink]
              broader: streaming
            - {kind: tag, id: flink, dimension: tech, label: Flink, implies: [streaming, jvm]}
            - {kind: tag, id: streaming, dimension: tech, label: Streaming, conflicts: [batch]}
            - {kind: tag, id: batch, dimension: tech, label: Batch, status: deprecated}
            - {kind: tag, id: jvm, dimension: tech, label: JVM}
            - {kind: tag, id: snark, dimension: tone, label: Snark, nsfw_level: r15, sensitive: true}
            - {kind: tag, id: explicit, dimension: tone, label: Explicit, nsfw_level: r18}
            - {kind: tag, id: hateful, dimension: tone, label: Hateful, status: blocked}
            - kind: policy
              tenant: acme
              max_nsfw: r15
              strict_conflicts: true
              blocked_tags: [batch]
            """;

    private static final String CSV = """
            kind,id,dimension,label,description,aliases,nsfw_level,sensitive,status,implies,conflicts,broader,related,tenant,max_nsfw,strict_conflicts,blocked_tags
            dimension,tech,,Technology,what it is built with,,,,,,,,,,,,
            dimension,tone,,Tone,,,,,,,,,,,,,
            tag,kafka,tech,Apache Kafka,"a log, distributed",kfk|卡夫卡,,,,streaming,,streaming,flink,,,,
            tag,flink,tech,Flink,,,,,,streaming|jvm,,,,,,,
            tag,streaming,tech,Streaming,,,,,,,batch,,,,,,
            tag,batch,tech,Batch,,,,,deprecated,,,,,,,,
            tag,jvm,tech,JVM,,,,,,,,,,,,,
            tag,snark,tone,Snark,,,r15,true,,,,,,,,,
            tag,explicit,tone,Explicit,,,r18,,,,,,,,,,
            tag,hateful,tone,Hateful,,,,,blocked,,,,,,,,
            policy,,,,,,,,,,,,,acme,r15,true,batch
            """;

    @Test
    void readsEveryPartOfTheGraphFromJson() throws Exception {
        KnowledgeGraph graph = parse(JSON, Format.JSON);

        assertThat(graph.taxonomy().dimensions()).containsExactly(
                new Dimension("tech", "Technology", "what it is built with"), new Dimension("tone", "Tone", null));
        assertThat(graph.taxonomy().tag("kafka")).contains(
                new TaxonomyTag("kafka", "tech", "Apache Kafka", "a log, distributed", List.of("kfk", "卡夫卡")));
        assertThat(graph.canonical("KFK")).map(TaxonomyTag::id).contains("kafka");
        assertThat(graph.directlyImplied("kafka")).containsExactly("streaming");
        assertThat(graph.impliedBy("flink")).containsExactly("jvm", "streaming");
        assertThat(graph.conflict("streaming", "batch")).isTrue();
        assertThat(graph.conflict("batch", "streaming")).as("conflicts are symmetric").isTrue();
        assertThat(graph.relatedTo("kafka")).containsExactly("flink");
        assertThat(graph.relatedTo("flink")).as("relatedness is symmetric").containsExactly("kafka");
        assertThat(graph.broaderOf("kafka")).contains("streaming");
        assertThat(graph.broaderOf("flink")).isEmpty();
        assertThat(graph.profile("kafka")).isEqualTo(TagProfile.DEFAULT);
        assertThat(graph.profile("snark")).isEqualTo(new TagProfile(TagStatus.ACTIVE, NsfwLevel.R15, true));
        assertThat(graph.profile("explicit")).isEqualTo(new TagProfile(TagStatus.ACTIVE, NsfwLevel.R18, false));
        assertThat(graph.profile("batch")).isEqualTo(new TagProfile(TagStatus.DEPRECATED, NsfwLevel.ALL_AGES, false));
        assertThat(graph.profile("hateful")).isEqualTo(new TagProfile(TagStatus.BLOCKED, NsfwLevel.ALL_AGES, false));
        assertThat(graph.tenantPolicies()).containsExactly(
                Map.entry("acme", new TenantPolicy(NsfwLevel.R15, true, Set.of("batch"))));
        assertThat(graph.merges()).isEmpty();
        assertThat(graph.version()).isEqualTo(TaxonomyFile.digest(JSON.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @EnumSource(value = Format.class, names = {"YAML", "CSV"})
    void yamlAndCsvGiveTheSameGraphAsJson(Format format) throws Exception {
        KnowledgeGraph fromJson = parse(JSON, Format.JSON);
        KnowledgeGraph other = parse(format == Format.YAML ? YAML : CSV, format);

        assertSameGraph(other, fromJson);
        assertThat(other.taxonomy().tag("kafka").orElseThrow().description()).isEqualTo("a log, distributed");
        assertThat(other.profile("snark").sensitive()).isTrue();
        assertThat(other.policy("acme")).isEqualTo(new TenantPolicy(NsfwLevel.R15, true, Set.of("batch")));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void exportThenImportGivesTheSameGraph(Format format) throws Exception {
        KnowledgeGraph graph = parse(JSON, Format.JSON);

        KnowledgeGraph again = KnowledgeGraphFile.parse(KnowledgeGraphFile.write(graph, format), format, "export");

        assertSameGraph(again, graph);
        assertThat(again.profile("snark")).isEqualTo(graph.profile("snark"));
        assertThat(again.profile("hateful")).isEqualTo(graph.profile("hateful"));
        assertThat(again.tenantPolicies()).isEqualTo(graph.tenantPolicies());
        assertThat(again.impliedBy("flink")).isEqualTo(graph.impliedBy("flink"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aPolicyWithoutBlockedTagsSurvivesTheRoundTrip(Format format) throws Exception {
        KnowledgeGraph graph = TaxonomyChange.apply(parse(JSON, Format.JSON), policy("quiet", Map.of("max_nsfw", "r18")));

        KnowledgeGraph again = KnowledgeGraphFile.parse(KnowledgeGraphFile.write(graph, format), format, "export");

        assertThat(again.tenantPolicies()).containsOnly(
                Map.entry("acme", new TenantPolicy(NsfwLevel.R15, true, Set.of("batch"))),
                Map.entry("quiet", new TenantPolicy(NsfwLevel.R18, false, Set.of())));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void readsAFileByItsExtension(Format format, @TempDir Path dir) throws Exception {
        String name = switch (format) {
            case JSON -> "graph.json";
            case YAML -> "graph.yml";
            case CSV -> "graph.CSV";
        };
        Path file = dir.resolve(name);
        Files.write(file, KnowledgeGraphFile.write(parse(JSON, Format.JSON), format));

        KnowledgeGraph graph = KnowledgeGraphFile.read(file);

        assertSameGraph(graph, parse(JSON, Format.JSON));
    }

    @ParameterizedTest
    @CsvSource({"a.json, JSON", "a.yaml, YAML", "a.YML, YAML", "a.csv, CSV", "a.Csv, CSV", "a.txt, JSON", "yaml, JSON"})
    void theFormatFollowsTheExtension(String file, Format format) {
        assertThat(Format.of(Path.of("dir", file))).isEqualTo(format);
    }

    @Test
    void theExportListsDimensionsThenTagsThenPolicies() throws Exception {
        ArrayNode entries = KnowledgeGraphFile.toEntries(parse(JSON, Format.JSON));

        assertThat(entries).extracting(e -> e.get("kind").asText() + ":" + e.path(e.has("id") ? "id" : "tenant").asText())
                .containsExactly("dimension:tech", "dimension:tone", "tag:kafka", "tag:flink", "tag:streaming",
                        "tag:batch", "tag:jvm", "tag:snark", "tag:explicit", "tag:hateful", "policy:acme");
        assertThat(entries.get(4).get("conflicts")).hasSize(1);
        assertThat(entries.get(4).get("conflicts").get(0).asText()).isEqualTo("batch");
        assertThat(entries.get(5).get("conflicts").get(0).asText()).as("written on both sides").isEqualTo("streaming");
        assertThat(entries.get(5).get("status").asText()).isEqualTo("deprecated");
        assertThat(entries.get(6).has("status")).as("active is the default").isFalse();
    }

    @Test
    void aTagThatImpliesItselfIsRefusedNamingTheFile() {
        String json = JSON.replace("\"implies\": [\"streaming\", \"jvm\"]", "\"implies\": [\"flink\"]");

        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8(json), Format.JSON, "graphs/tech.json"))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph graphs/tech.json: tag 'flink' cannot imply itself");
    }

    @Test
    void aTagThatConflictsWithItselfIsRefusedNamingTheFile() {
        String json = JSON.replace("\"conflicts\": [\"batch\"]", "\"conflicts\": [\"streaming\"]");

        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8(json), Format.JSON, "tech.json"))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph tech.json: tag 'streaming' cannot conflict with itself");
    }

    @Test
    void aTagThatImpliesAndConflictsWithTheSameTagIsRefusedNamingTheFile() {
        // flink implies streaming; the conflict is declared on streaming's side.
        String json = JSON.replace("\"conflicts\": [\"batch\"]", "\"conflicts\": [\"batch\", \"flink\"]");

        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8(json), Format.JSON, "tech.json"))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph tech.json: 'flink' would carry both 'flink' and 'streaming', which conflict");
    }

    @Test
    void theSameContradictionIsRefusedInCsv() {
        String csv = CSV.replace("tag,streaming,tech,Streaming,,,,,,,batch,", "tag,streaming,tech,Streaming,,,,,,,batch|kafka,");

        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8(csv), Format.CSV, "tech.csv"))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph tech.csv: 'kafka' would carry both 'kafka' and 'streaming', which conflict");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"implies\": [\"streaming\"]|\"implies\": [\"cobol\"]",
            "\"related\": [\"flink\"]|\"related\": [\"cobol\"]",
            "\"broader\": \"streaming\"|\"broader\": \"cobol\"",
            "\"conflicts\": [\"batch\"]|\"conflicts\": [\"cobol\"]"})
    void aRelationToAnUnknownTagIsRefusedNamingTheFile(String relation, String broken) {
        String json = JSON.replace(relation, broken);
        assertThat(json).isNotEqualTo(JSON);

        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8(json), Format.JSON, "tech.json"))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph tech.json: unknown tag 'cobol'");
    }

    @Test
    void aBadRatingOrPolicyIsRefusedNamingTheFile() {
        String rating = JSON.replace("\"nsfw_level\": \"r18\"", "\"nsfw_level\": \"pg-13\"");
        String policy = JSON.replace("\"max_nsfw\": \"r15\"", "\"max_nsfw\": \"blocked\"");
        String tenantless = JSON.replace("\"tenant\": \"acme\", ", "");

        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8(rating), Format.JSON, "tech.json"))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph tech.json: nsfw level must be all-ages, r15, r18 or blocked, was 'pg-13'");
        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8(policy), Format.JSON, "tech.json"))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph tech.json: max_nsfw cannot be 'blocked': blocked tags are never allowed");
        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8(tenantless), Format.JSON, "tech.json"))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph tech.json: tech.json entry 10: field 'tenant' is required");
    }

    @Test
    void aFileThatIsNotAnEntryListIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8("{\"kind\": \"tag\"}"), Format.JSON, "one.json"))
                .isInstanceOf(IOException.class)
                .hasMessage("taxonomy one.json must be a list of dimension, tag and policy entries");
        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8("[{\"kind\": "), Format.JSON, "cut.json"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("taxonomy cut.json is not valid JSON: ");
        assertThatThrownBy(() -> KnowledgeGraphFile.parse(utf8("- kind: [tag"), Format.YAML, "cut.yaml"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("taxonomy cut.yaml is not valid YAML: ");
    }

    @Test
    void aFileNamedOnDiskIsNamedInTheError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, YAML.replace("implies: [streaming]", "implies: [kafka]"));

        assertThatThrownBy(() -> KnowledgeGraphFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage("knowledge graph " + file + ": tag 'kafka' cannot imply itself");
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Equal names, relations, profiles and policies: everything the export writes. */
    private static void assertSameGraph(KnowledgeGraph actual, KnowledgeGraph expected) {
        assertThat(KnowledgeGraphFile.toEntries(actual)).isEqualTo(KnowledgeGraphFile.toEntries(expected));
        assertThat(actual.taxonomy().tags()).containsExactlyElementsOf(expected.taxonomy().tags());
        assertThat(actual.taxonomy().dimensions()).containsExactlyElementsOf(expected.taxonomy().dimensions());
    }

    private static KnowledgeGraph parse(String text, Format format) throws IOException {
        return KnowledgeGraphFile.parse(utf8(text), format, "test." + format.name().toLowerCase());
    }

    private static TaxonomyCommand policy(String tenant, Map<String, String> attrs) {
        return new TaxonomyCommand("cmd-p", TaxonomyCommandType.SET_POLICY, tenant, null, null, attrs, "curator",
                Instant.parse("2026-01-31T12:00:00Z"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
