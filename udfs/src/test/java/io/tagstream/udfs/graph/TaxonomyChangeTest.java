package io.tagstream.udfs.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaxonomyChangeTest {

    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");

    private static final Taxonomy TAXONOMY = new Taxonomy("tx-test",
            List.of(new Dimension("tech", "Technology", null), new Dimension("tone", "Tone", null)),
            List.of(
                    new TaxonomyTag("kafka", "tech", "Apache Kafka", "a log", List.of("kfk")),
                    tag("old-kafka", "tech"), tag("flink", "tech"), tag("streaming", "tech"), tag("batch", "tech"),
                    tag("jvm", "tech"), tag("java", "tech"), tag("casual", "tone"), tag("formal", "tone")));

    /** kafka is sensitive and r15; old-kafka implies jvm and kafka and conflicts with batch; flink implies streaming. */
    private static final KnowledgeGraph GRAPH = KnowledgeGraph.builder(TAXONOMY)
            .profile("kafka", new TagProfile(TagStatus.ACTIVE, NsfwLevel.R15, true))
            .implies("old-kafka", "jvm").implies("old-kafka", "kafka").conflict("old-kafka", "batch")
            .implies("flink", "streaming").implies("streaming", "jvm")
            .conflict("streaming", "batch")
            .build();

    @Nested
    class Commands {

        @Test
        void addTagTakesEveryAttribute() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.ADD_TAG, "rust", null, Map.of(
                    "dimension", "tech", "label", "Rust", "description", "a language", "aliases", "rs, rust-lang,,",
                    "nsfw_level", "R15", "sensitive", "true")));

            assertThat(next.taxonomy().tag("rust")).contains(
                    new TaxonomyTag("rust", "tech", "Rust", "a language", List.of("rs", "rust-lang")));
            assertThat(next.profile("rust")).isEqualTo(new TagProfile(TagStatus.ACTIVE, NsfwLevel.R15, true));
            assertThat(next.canonical("RUST-LANG")).map(TaxonomyTag::id).contains("rust");
            assertThat(next.canonical("Rust")).map(TaxonomyTag::id).contains("rust");
            assertThat(next.taxonomy().tags()).hasSize(TAXONOMY.tags().size() + 1);
            assertThat(next.version()).isEqualTo("tx-test+1");
            assertThat(GRAPH.taxonomy().tag("rust")).as("the old graph").isEmpty();
            assertThat(GRAPH.version()).isEqualTo("tx-test");
        }

        @Test
        void addTagWithOnlyDimensionAndLabelGetsTheDefaultProfile() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.ADD_TAG, "ironic", null,
                    Map.of("dimension", "tone", "label", "Ironic")));

            assertThat(next.taxonomy().tag("ironic")).contains(new TaxonomyTag("ironic", "tone", "Ironic", null, List.of()));
            assertThat(next.profile("ironic")).isEqualTo(TagProfile.DEFAULT);
        }

        @Test
        void updateTagChangesWhatItNamesAndKeepsTheRest() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.UPDATE_TAG, "kafka", null, Map.of(
                    "label", "Kafka", "description", "a distributed log", "nsfw_level", "all-ages",
                    "broader", "streaming")));

            assertThat(next.taxonomy().tag("kafka")).contains(
                    new TaxonomyTag("kafka", "tech", "Kafka", "a distributed log", List.of("kfk")));
            assertThat(next.profile("kafka")).as("sensitivity and status kept")
                    .isEqualTo(new TagProfile(TagStatus.ACTIVE, NsfwLevel.ALL_AGES, true));
            assertThat(next.broaderOf("kafka")).contains("streaming");
            assertThat(next.canonical("Apache Kafka")).as("the old label").isEmpty();
            assertThat(next.canonical("kfk")).map(TaxonomyTag::id).contains("kafka");
            assertThat(GRAPH.taxonomy().tag("kafka").orElseThrow().label()).isEqualTo("Apache Kafka");
        }

        @Test
        void updateTagKeepsABlockedTagBlocked() throws Exception {
            KnowledgeGraph blocked = apply(GRAPH, command(TaxonomyCommandType.BLOCK_TAG, "java", null, Map.of()));

            KnowledgeGraph next = apply(blocked, command(TaxonomyCommandType.UPDATE_TAG, "java", null,
                    Map.of("sensitive", "true")));

            assertThat(next.profile("java")).isEqualTo(new TagProfile(TagStatus.BLOCKED, NsfwLevel.ALL_AGES, true));
        }

        @Test
        void addAliasMakesTheAliasResolve() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.ADD_ALIAS, "kafka", null,
                    Map.of("alias", " 卡夫卡 ")));

            assertThat(next.canonical("卡夫卡")).map(TaxonomyTag::id).contains("kafka");
            assertThat(next.taxonomy().tag("kafka").orElseThrow().aliases()).containsExactly("kfk", "卡夫卡");
            assertThat(GRAPH.canonical("卡夫卡")).isEmpty();
        }

        @Test
        void addingAnAliasTheTagAlreadyHasChangesOnlyTheVersion() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.ADD_ALIAS, "kafka", null,
                    Map.of("alias", "kfk")));

            assertThat(next.taxonomy().tag("kafka").orElseThrow().aliases()).containsExactly("kfk");
            assertThat(KnowledgeGraphFile.toEntries(next)).isEqualTo(KnowledgeGraphFile.toEntries(GRAPH));
            assertThat(next.version()).isEqualTo("tx-test+1");
        }

        @Test
        void mergeLeadsTheSourceToTheTargetAndCarriesItsRelations() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.MERGE, "old-kafka", "kafka", Map.of()));

            assertThat(next.canonical("old-kafka")).map(TaxonomyTag::id).contains("kafka");
            assertThat(next.canonical("kafka")).map(TaxonomyTag::id).contains("kafka");
            assertThat(next.merges()).containsExactly(Map.entry("old-kafka", "kafka"));
            assertThat(next.profile("old-kafka").status()).isEqualTo(TagStatus.MERGED);
            assertThat(next.profile("kafka")).isEqualTo(GRAPH.profile("kafka"));
            assertThat(next.directlyImplied("kafka")).as("never onto itself").containsExactly("jvm");
            assertThat(next.conflictsOf("kafka")).containsExactly("batch");
            assertThat(next.conflict("batch", "kafka")).isTrue();
            assertThat(next.taxonomy().tag("old-kafka")).as("lives on as a name").isPresent();
            assertThat(GRAPH.canonical("old-kafka")).map(TaxonomyTag::id).contains("old-kafka");
            assertThat(GRAPH.directlyImplied("kafka")).isEmpty();
        }

        @Test
        void renameMakesANewTagThatTheOldNamesLeadTo() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.RENAME, "kafka", "apache-kafka", Map.of()));

            assertThat(next.taxonomy().tag("apache-kafka")).contains(
                    new TaxonomyTag("apache-kafka", "tech", "Apache Kafka", "a log", List.of()));
            assertThat(next.profile("apache-kafka")).isEqualTo(new TagProfile(TagStatus.ACTIVE, NsfwLevel.R15, true));
            assertThat(next.profile("kafka").status()).isEqualTo(TagStatus.MERGED);
            for (String name : List.of("kafka", "kfk", "Apache Kafka", "apache-kafka")) {
                assertThat(next.canonical(name)).as(name).map(TaxonomyTag::id).contains("apache-kafka");
            }
            assertThat(next.merges()).containsExactly(Map.entry("kafka", "apache-kafka"));
        }

        @Test
        void renameCarriesTheRelationsAndMayTakeANewLabel() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.RENAME, "streaming", "stream-processing",
                    Map.of("label", "Stream processing")));

            assertThat(next.taxonomy().tag("stream-processing").orElseThrow().label()).isEqualTo("Stream processing");
            assertThat(next.directlyImplied("stream-processing")).containsExactly("jvm");
            assertThat(next.conflict("batch", "stream-processing")).isTrue();
            assertThat(next.canonical("Stream processing")).map(TaxonomyTag::id).contains("stream-processing");
        }

        @Test
        void addImplicationIsFollowedTransitively() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.ADD_IMPLICATION, "java", "jvm", Map.of()));
            KnowledgeGraph further = apply(next, command(TaxonomyCommandType.ADD_IMPLICATION, "kafka", "java", Map.of()));

            assertThat(next.impliedBy("java")).containsExactly("jvm");
            assertThat(further.impliedBy("kafka")).containsExactly("java", "jvm");
            assertThat(GRAPH.impliedBy("java")).isEmpty();
        }

        @Test
        void addConflictIsSymmetric() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.ADD_CONFLICT, "casual", "formal", Map.of()));

            assertThat(next.conflict("casual", "formal")).isTrue();
            assertThat(next.conflict("formal", "casual")).isTrue();
            assertThat(next.conflictsOf("formal")).containsExactly("casual");
            assertThat(GRAPH.conflict("casual", "formal")).isFalse();
        }

        @Test
        void blockTagBlocksTheTagForEveryTenantAndKeepsItsRating() throws Exception {
            KnowledgeGraph next = apply(GRAPH, command(TaxonomyCommandType.BLOCK_TAG, "kafka", null, Map.of()));

            assertThat(next.profile("kafka")).isEqualTo(new TagProfile(TagStatus.BLOCKED, NsfwLevel.R15, true));
            assertThat(next.allowed("acme", "kafka")).isFalse();
            assertThat(next.allowed(null, "kafka")).isFalse();
            assertThat(GRAPH.profile("kafka").status()).isEqualTo(TagStatus.ACTIVE);
        }

        @Test
        void setPolicySetsOneTenantsPolicy() throws Exception {
            KnowledgeGraph next = apply(GRAPH, policy("acme", Map.of(
                    "max_nsfw", "r18", "strict_conflicts", "true", "blocked_tags", "kafka, flink,")));

            assertThat(next.policy("acme")).isEqualTo(new TenantPolicy(NsfwLevel.R18, true, Set.of("kafka", "flink")));
            assertThat(next.policy("other")).isEqualTo(TenantPolicy.DEFAULT);
            assertThat(next.tenantPolicies()).containsOnlyKeys("acme");
            assertThat(next.allowed("acme", "flink")).isFalse();
            assertThat(next.allowed("other", "flink")).isTrue();
            assertThat(GRAPH.policy("acme")).isEqualTo(TenantPolicy.DEFAULT);
        }

        @Test
        void setPolicyChangesOnlyTheSettingsItNames() throws Exception {
            KnowledgeGraph first = apply(GRAPH, policy("acme", Map.of(
                    "max_nsfw", "r15", "strict_conflicts", "true", "blocked_tags", "kafka")));

            KnowledgeGraph lenient = apply(first, policy("acme", Map.of("strict_conflicts", "false")));
            KnowledgeGraph unblocked = apply(first, policy("acme", Map.of("blocked_tags", "")));

            assertThat(lenient.policy("acme")).isEqualTo(new TenantPolicy(NsfwLevel.R15, false, Set.of("kafka")));
            assertThat(unblocked.policy("acme")).isEqualTo(new TenantPolicy(NsfwLevel.R15, true, Set.of()));
        }

        @Test
        void theVersionCountsAppliedCommandsOnTheBaseVersion() throws Exception {
            KnowledgeGraph one = apply(GRAPH, command(TaxonomyCommandType.ADD_CONFLICT, "casual", "formal", Map.of()));
            assertThatThrownBy(() -> apply(one, command(TaxonomyCommandType.BLOCK_TAG, "cobol", null, Map.of())))
                    .isInstanceOf(InvalidCommandException.class);
            KnowledgeGraph two = apply(one, command(TaxonomyCommandType.BLOCK_TAG, "java", null, Map.of()));
            KnowledgeGraph three = apply(two, policy("acme", Map.of("max_nsfw", "r15")));

            assertThat(List.of(GRAPH.version(), one.version(), two.version(), three.version()))
                    .containsExactly("tx-test", "tx-test+1", "tx-test+2", "tx-test+3");
            assertThat(three.taxonomy().version()).isEqualTo("tx-test");
        }
    }

    @Nested
    class InvalidCommands {

        static Stream<Arguments> invalid() {
            return Stream.of(
                    Arguments.of(command(TaxonomyCommandType.UPDATE_TAG, "cobol", null, Map.of("label", "COBOL")),
                            "unknown tag 'cobol'"),
                    Arguments.of(command(TaxonomyCommandType.ADD_ALIAS, "cobol", null, Map.of("alias", "cbl")),
                            "unknown tag 'cobol'"),
                    Arguments.of(command(TaxonomyCommandType.BLOCK_TAG, "cobol", null, Map.of()), "unknown tag 'cobol'"),
                    Arguments.of(command(TaxonomyCommandType.MERGE, "cobol", "kafka", Map.of()), "unknown tag 'cobol'"),
                    Arguments.of(command(TaxonomyCommandType.MERGE, "kafka", "cobol", Map.of()), "unknown tag 'cobol'"),
                    Arguments.of(command(TaxonomyCommandType.RENAME, "cobol", "cobol-85", Map.of()), "unknown tag 'cobol'"),
                    Arguments.of(command(TaxonomyCommandType.ADD_IMPLICATION, "kafka", "cobol", Map.of()),
                            "unknown tag 'cobol'"),
                    Arguments.of(command(TaxonomyCommandType.ADD_CONFLICT, "cobol", "kafka", Map.of()),
                            "unknown tag 'cobol'"),
                    Arguments.of(command(TaxonomyCommandType.BLOCK_TAG, "KAFKA", null, Map.of()),
                            "unknown tag 'KAFKA'"),
                    Arguments.of(command(TaxonomyCommandType.MERGE, "kafka", "kafka", Map.of()),
                            "cannot merge 'kafka' into itself"),
                    Arguments.of(command(TaxonomyCommandType.ADD_ALIAS, "kafka", null, Map.of("alias", "Flink")),
                            "'Flink' already names tag 'flink'"),
                    Arguments.of(command(TaxonomyCommandType.ADD_ALIAS, "flink", null, Map.of("alias", "KFK")),
                            "'KFK' already names tag 'kafka'"),
                    Arguments.of(command(TaxonomyCommandType.ADD_ALIAS, "flink", null, Map.of("alias", "apache kafka")),
                            "'apache kafka' already names tag 'kafka'"),
                    Arguments.of(command(TaxonomyCommandType.ADD_ALIAS, "kafka", null, Map.of()),
                            "attribute 'alias' is required"),
                    Arguments.of(command(TaxonomyCommandType.ADD_IMPLICATION, "streaming", "batch", Map.of()),
                            "'streaming' conflicts with 'batch'; it cannot imply it"),
                    Arguments.of(command(TaxonomyCommandType.ADD_IMPLICATION, "kafka", "kafka", Map.of()),
                            "a tag cannot imply itself"),
                    Arguments.of(command(TaxonomyCommandType.ADD_CONFLICT, "flink", "jvm", Map.of()),
                            "'flink' and 'jvm' imply one another; they cannot conflict"),
                    Arguments.of(command(TaxonomyCommandType.ADD_CONFLICT, "jvm", "flink", Map.of()),
                            "'jvm' and 'flink' imply one another; they cannot conflict"),
                    Arguments.of(command(TaxonomyCommandType.ADD_CONFLICT, "kafka", "kafka", Map.of()),
                            "a tag cannot conflict with itself"),
                    Arguments.of(command(TaxonomyCommandType.ADD_TAG, "kafka", null,
                            Map.of("dimension", "tech", "label", "Kafka again")), "tag 'kafka' exists already"),
                    Arguments.of(command(TaxonomyCommandType.ADD_TAG, "sushi", null,
                            Map.of("dimension", "food", "label", "Sushi")), "unknown dimension 'food'"),
                    Arguments.of(command(TaxonomyCommandType.ADD_TAG, "sushi", null, Map.of("label", "Sushi")),
                            "attribute 'dimension' is required"),
                    Arguments.of(command(TaxonomyCommandType.ADD_TAG, "rust", null, Map.of("dimension", "tech")),
                            "attribute 'label' is required"),
                    Arguments.of(command(TaxonomyCommandType.ADD_TAG, " ", null,
                            Map.of("dimension", "tech", "label", "Blank")), "ADD_TAG needs a tag id"),
                    Arguments.of(command(TaxonomyCommandType.ADD_TAG, "rust", null,
                                    Map.of("dimension", "tech", "label", "Rust", "nsfw_level", "pg-13")),
                            "nsfw level must be all-ages, r15, r18 or blocked, was 'pg-13'"),
                    Arguments.of(command(TaxonomyCommandType.UPDATE_TAG, "kafka", null, Map.of("nsfw_level", "x")),
                            "nsfw level must be all-ages, r15, r18 or blocked, was 'x'"),
                    Arguments.of(command(TaxonomyCommandType.RENAME, "kafka", "flink", Map.of()),
                            "tag 'flink' exists already; use MERGE"),
                    Arguments.of(command(TaxonomyCommandType.RENAME, "kafka", null, Map.of()), "RENAME needs a target id"),
                    Arguments.of(policy(null, Map.of("max_nsfw", "r15")), "SET_POLICY needs a tenant"),
                    Arguments.of(policy("acme", Map.of("max_violence", "none")),
                            "unknown policy setting 'max_violence' (known: max_nsfw, strict_conflicts, blocked_tags)"),
                    Arguments.of(policy("acme", Map.of("max_nsfw", "blocked")),
                            "max_nsfw cannot be 'blocked': blocked tags are never allowed"),
                    Arguments.of(policy("acme", Map.of("max_nsfw", "nc-17")),
                            "nsfw level must be all-ages, r15, r18 or blocked, was 'nc-17'"),
                    Arguments.of(policy("acme", Map.of("strict_conflicts", "yes")),
                            "strict_conflicts must be true or false, was 'yes'"));
        }

        @ParameterizedTest
        @MethodSource("invalid")
        void isRefusedWithItsReasonAndLeavesTheGraphUntouched(TaxonomyCommand command, String message) {
            ArrayNode before = KnowledgeGraphFile.toEntries(GRAPH);

            assertThatThrownBy(() -> TaxonomyChange.apply(GRAPH, command))
                    .isInstanceOf(InvalidCommandException.class)
                    .hasMessage(message);

            assertThat(KnowledgeGraphFile.toEntries(GRAPH)).isEqualTo(before);
            assertThat(GRAPH.version()).isEqualTo("tx-test");
        }

        @Test
        void aMergedTagCanNeitherBeMergedAgainNorBeMergedInto() throws Exception {
            KnowledgeGraph merged = apply(GRAPH, command(TaxonomyCommandType.MERGE, "old-kafka", "kafka", Map.of()));
            ArrayNode before = KnowledgeGraphFile.toEntries(merged);

            for (TaxonomyCommand command : List.of(
                    command(TaxonomyCommandType.MERGE, "old-kafka", "flink", Map.of()),
                    command(TaxonomyCommandType.MERGE, "flink", "old-kafka", Map.of()),
                    command(TaxonomyCommandType.RENAME, "old-kafka", "vintage-kafka", Map.of()),
                    command(TaxonomyCommandType.ADD_IMPLICATION, "old-kafka", "java", Map.of()),
                    command(TaxonomyCommandType.BLOCK_TAG, "old-kafka", null, Map.of()))) {
                assertThatThrownBy(() -> TaxonomyChange.apply(merged, command))
                        .as(command.command().name())
                        .isInstanceOf(InvalidCommandException.class)
                        .hasMessage("tag 'old-kafka' was merged into 'kafka'");
            }
            assertThat(KnowledgeGraphFile.toEntries(merged)).isEqualTo(before);
            assertThat(merged.version()).isEqualTo("tx-test+1");
        }

        @Test
        void anAliasOfAMergedTagAlreadyNamesItsTarget() throws Exception {
            KnowledgeGraph merged = apply(GRAPH, command(TaxonomyCommandType.MERGE, "old-kafka", "kafka", Map.of()));

            assertThatThrownBy(() -> apply(merged, command(TaxonomyCommandType.ADD_ALIAS, "flink", null,
                    Map.of("alias", "old-kafka"))))
                    .isInstanceOf(InvalidCommandException.class)
                    .hasMessage("'old-kafka' already names tag 'kafka'");
            assertThat(apply(merged, command(TaxonomyCommandType.ADD_ALIAS, "kafka", null, Map.of("alias", "old-kafka")))
                    .canonical("old-kafka")).map(TaxonomyTag::id).contains("kafka");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static KnowledgeGraph apply(KnowledgeGraph graph, TaxonomyCommand command) throws InvalidCommandException {
        return TaxonomyChange.apply(graph, command);
    }

    private static TaxonomyCommand command(TaxonomyCommandType type, String tag, String target, Map<String, String> attrs) {
        return new TaxonomyCommand("cmd-" + type + "-" + tag, type, null, tag, target, attrs, "curator", T0);
    }

    private static TaxonomyCommand policy(String tenant, Map<String, String> attrs) {
        return new TaxonomyCommand("cmd-policy", TaxonomyCommandType.SET_POLICY, tenant, null, null, attrs, "curator", T0);
    }

    private static TaxonomyTag tag(String id, String dimension) {
        return new TaxonomyTag(id, dimension, id, null, List.of());
    }
}
