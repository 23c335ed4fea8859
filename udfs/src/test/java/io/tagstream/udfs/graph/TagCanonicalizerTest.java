package io.tagstream.udfs.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.content.DroppedTag;
import io.tagstream.udfs.content.TagVerdict;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each rule of the canonicalisation pipeline on its own. Unless a test is about the validator's
 * balance rule, proposals cover all three dimensions (a tone tag and an audience tag ride along)
 * so the score shows only the penalty under test.
 */
class TagCanonicalizerTest {

    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");
    private static final String TENANT = "acme";

    /** Three dimensions; kafka has a label and aliases; the audience tags carry the safety profiles. */
    private static final Taxonomy TAXONOMY = new Taxonomy("tx-test",
            List.of(new Dimension("tech", "Technology", null), new Dimension("tone", "Tone", null),
                    new Dimension("audience", "Audience", null)),
            List.of(
                    new TaxonomyTag("kafka", "tech", "Apache Kafka", null, List.of("kfk", "卡夫卡")),
                    tag("old-kafka", "tech"), tag("older-kafka", "tech"),
                    tag("flink", "tech"), tag("streaming", "tech"), tag("batch", "tech"), tag("jvm", "tech"),
                    tag("java", "tech"), tag("scala", "tech"), tag("python", "tech"),
                    tag("casual", "tone"), tag("formal", "tone"), tag("humorous", "tone"),
                    tag("beginner", "audience"), tag("expert", "audience"),
                    tag("adults", "audience"), tag("teens", "audience"), tag("gore", "audience"),
                    tag("banned", "audience"), tag("politics", "audience")));

    private static final TagProfile R18 = new TagProfile(TagStatus.ACTIVE, NsfwLevel.R18, false);
    private static final TagProfile R15 = new TagProfile(TagStatus.ACTIVE, NsfwLevel.R15, false);
    private static final TagProfile NSFW_BLOCKED = new TagProfile(TagStatus.ACTIVE, NsfwLevel.BLOCKED, false);
    private static final TagProfile STATUS_BLOCKED = new TagProfile(TagStatus.BLOCKED, NsfwLevel.ALL_AGES, false);
    private static final TagProfile SENSITIVE = new TagProfile(TagStatus.ACTIVE, NsfwLevel.ALL_AGES, true);

    /** Covers tone and audience, so a tech proposal completes three dimensions. */
    private static final TagAssignment CASUAL = llm("casual", 0.5);
    private static final TagAssignment BEGINNER = llm("beginner", 0.5);

    private final TagCanonicalizer canonicalizer = new TagCanonicalizer(10);

    @Nested
    class Names {

        @ParameterizedTest
        @ValueSource(strings = {"kafka", "KAFKA", "Apache Kafka", "apache kafka", "kfk", "ＫＦＫ", " 卡夫卡 "})
        void anIdLabelOrAliasResolvesToTheCanonicalId(String name) {
            CanonicalTags out = canonicalize(graph().build(),
                    new TagAssignment(name, "whatever", 0.7, TagSource.LLM, "llm-1", "the model said so"), CASUAL, BEGINNER);

            assertThat(out.kept()).contains(
                    new TagAssignment("kafka", "tech", 0.7, TagSource.LLM, "llm-1", "the model said so"));
            assertThat(out.kept()).hasSize(3);
            assertThat(out.dropped()).isEmpty();
            assertThat(out.qualityScore()).isEqualTo(100);
        }

        @Test
        void aMergedTagResolvesToItsTarget() {
            KnowledgeGraph graph = graph().merged("old-kafka", "kafka").build();

            CanonicalTags out = canonicalize(graph, llm("old-kafka", 0.8), CASUAL, BEGINNER);

            assertThat(tags(out)).containsExactly("beginner", "casual", "kafka");
            assertThat(out.kept().get(2)).isEqualTo(
                    new TagAssignment("kafka", "tech", 0.8, TagSource.LLM, "llm-1", "llm saw old-kafka"));
        }

        @Test
        void aChainOfMergesIsFollowedToItsEnd() {
            KnowledgeGraph graph = graph().merged("older-kafka", "old-kafka").merged("old-kafka", "kafka").build();

            CanonicalTags out = canonicalize(graph, llm("older-kafka", 0.8), CASUAL, BEGINNER);

            assertThat(graph.canonical("older-kafka")).map(TaxonomyTag::id).contains("kafka");
            assertThat(tags(out)).containsExactly("beginner", "casual", "kafka");
        }

        @Test
        @Timeout(value = 10, unit = TimeUnit.SECONDS)
        void aMergeCycleDoesNotLoop() {
            KnowledgeGraph graph = graph().merged("old-kafka", "older-kafka").merged("older-kafka", "old-kafka").build();

            CanonicalTags out = canonicalize(graph, llm("old-kafka", 0.8), CASUAL, BEGINNER);

            // The walk stops once it meets a tag it has already left: back where it started.
            assertThat(graph.canonical("old-kafka")).map(TaxonomyTag::id).contains("old-kafka");
            assertThat(graph.canonical("older-kafka")).map(TaxonomyTag::id).contains("older-kafka");
            assertThat(tags(out)).containsExactly("beginner", "casual", "old-kafka");
        }

        @Test
        void anUnknownModelTagIsDroppedAndCosts35OnceHoweverManyThereAre() {
            CanonicalTags one = canonicalize(graph().build(), llm("kafka", 0.9), llm("cobol", 0.8), CASUAL, BEGINNER);
            CanonicalTags three = canonicalize(graph().build(), llm("kafka", 0.9), llm("cobol", 0.8),
                    llm("fortran", 0.7), new TagAssignment("pl1", "tech", 0.6, TagSource.RULE, "kw", "matched"),
                    CASUAL, BEGINNER);

            assertThat(tags(one)).containsExactly("beginner", "casual", "kafka");
            assertThat(one.dropped()).containsExactly(new DroppedTag("cobol", 0.8, "llm", "not in the taxonomy", false));
            assertThat(one.qualityScore()).isEqualTo(65);
            assertThat(three.dropped()).extracting(DroppedTag::tag, DroppedTag::source, DroppedTag::reason)
                    .containsExactly(
                            tuple("cobol", "llm", "not in the taxonomy"),
                            tuple("fortran", "llm", "not in the taxonomy"),
                            tuple("pl1", "rule", "not in the taxonomy"));
            assertThat(three.qualityScore()).isEqualTo(65);
        }

        @Test
        void anUnknownUserTagIsKeptUnderItsOwnNameButStillCountsAsInvalid() {
            TagAssignment own = user("my-pet-project", 1.0);

            CanonicalTags out = canonicalize(graph().build(), own, llm("kafka", 0.9), CASUAL, BEGINNER);

            assertThat(out.kept()).contains(own);
            assertThat(tags(out)).containsExactly("beginner", "casual", "kafka", "my-pet-project");
            assertThat(out.dropped()).isEmpty();
            assertThat(out.qualityScore()).isEqualTo(65);
        }
    }

    @Nested
    class Redundancy {

        @Test
        void theSameTagProposedTwiceKeepsTheStrongerProposalAndCosts5() {
            CanonicalTags out = canonicalize(graph().build(), llm("kafka", 0.4), llm("kfk", 0.8), CASUAL, BEGINNER);

            assertThat(out.kept()).contains(new TagAssignment("kafka", "tech", 0.8, TagSource.LLM, "llm-1", "llm saw kfk"));
            assertThat(out.kept()).hasSize(3);
            assertThat(out.dropped()).as("a duplicate is folded, not dropped").isEmpty();
            assertThat(out.qualityScore()).isEqualTo(95);
        }

        @Test
        void eachRedundancyCosts5() {
            CanonicalTags out = canonicalize(graph().build(),
                    llm("kafka", 0.4), llm("kfk", 0.9), llm("Apache Kafka", 0.6), llm("casual", 0.3), CASUAL, BEGINNER);

            assertThat(out.kept()).extracting(TagAssignment::tag, TagAssignment::confidence)
                    .containsExactly(tuple("beginner", 0.5), tuple("casual", 0.5), tuple("kafka", 0.9));
            assertThat(out.qualityScore()).as("three redundancies").isEqualTo(85);
        }

        @Test
        void theUsersProposalIsStrongerThanAMoreConfidentModel() {
            CanonicalTags out = canonicalize(graph().build(), llm("kafka", 0.95), user("Apache Kafka", 0.3), CASUAL, BEGINNER);

            assertThat(out.kept()).contains(new TagAssignment("kafka", "tech", 0.3, TagSource.USER, null, "tagged by the author"));
            assertThat(out.qualityScore()).isEqualTo(95);
        }
    }

    @Nested
    class Verdicts {

        @Test
        void aRejectedTagNeverComesBackAndIsRecordedAsDropped() {
            CanonicalTags out = canonicalize(graph().build(), Map.of("kafka", rejectedBy("ana")),
                    llm("kfk", 0.9), user("flink", 1.0), CASUAL, BEGINNER);
            CanonicalTags byUser = canonicalize(graph().build(), Map.of("flink", rejectedBy("ana")),
                    user("flink", 1.0), CASUAL, BEGINNER);

            assertThat(tags(out)).containsExactly("beginner", "casual", "flink");
            assertThat(out.dropped()).containsExactly(new DroppedTag("kafka", 0.9, "llm", "rejected by ana", false));
            assertThat(tags(byUser)).as("a verdict outranks the author's tag too").containsExactly("beginner", "casual");
            assertThat(byUser.dropped()).containsExactly(new DroppedTag("flink", 1.0, "user", "rejected by ana", false));
        }

        @Test
        void aRejectedTagIsNotBroughtBackByAnImplication() {
            KnowledgeGraph graph = graph().implies("flink", "streaming").build();

            CanonicalTags out = canonicalize(graph, Map.of("streaming", rejectedBy("ana")), llm("flink", 0.9), CASUAL, BEGINNER);

            assertThat(tags(out)).containsExactly("beginner", "casual", "flink");
            assertThat(out.dropped()).isEmpty();
        }

        @Test
        void aPinnedTagIsAddedWithFullConfidenceAsTheUsers() {
            CanonicalTags out = canonicalize(graph().build(), Map.of("java", pinnedBy("bo")), llm("kafka", 0.9), CASUAL, BEGINNER);

            assertThat(out.kept()).contains(new TagAssignment("java", "tech", 1.0, TagSource.USER, null, "confirmed by bo"));
            assertThat(tags(out)).containsExactly("beginner", "casual", "java", "kafka");
        }

        @Test
        void aPinnedTagTheModelAlsoProposesBecomesTheUsers() {
            CanonicalTags out = canonicalize(graph().build(), Map.of("kafka", pinnedBy("bo")), llm("kafka", 0.4), CASUAL, BEGINNER);

            assertThat(out.kept()).contains(new TagAssignment("kafka", "tech", 1.0, TagSource.USER, null, "confirmed by bo"));
        }

        @Test
        void aPinnedTagTheAuthorProposedKeepsTheAuthorsProposal() {
            TagAssignment authored = new TagAssignment("kafka", "tech", 0.9, TagSource.USER, null, "tagged by the author");

            CanonicalTags out = canonicalize(graph().build(), Map.of("kafka", pinnedBy("bo")), authored, CASUAL, BEGINNER);

            assertThat(out.kept()).contains(authored);
        }
    }

    @Nested
    class Implications {

        @Test
        void anImpliedTagIsAddedWithTheImplyingTagsConfidence() {
            KnowledgeGraph graph = graph().implies("flink", "streaming").build();

            CanonicalTags out = canonicalize(graph, llm("flink", 0.7), CASUAL, BEGINNER);

            assertThat(out.kept()).containsExactly(BEGINNER, CASUAL, llmCanonical("flink", "tech", 0.7),
                    new TagAssignment("streaming", "tech", 0.7, TagSource.IMPLIED, null, "implied by flink"));
            assertThat(out.qualityScore()).isEqualTo(100);
        }

        @Test
        void implicationsAreFollowedTransitively() {
            KnowledgeGraph graph = graph().implies("flink", "streaming").implies("streaming", "jvm").build();

            CanonicalTags out = canonicalize(graph, llm("flink", 0.7), CASUAL, BEGINNER);

            assertThat(out.kept()).containsExactly(BEGINNER, CASUAL, llmCanonical("flink", "tech", 0.7),
                    new TagAssignment("jvm", "tech", 0.7, TagSource.IMPLIED, null, "implied by flink"),
                    new TagAssignment("streaming", "tech", 0.7, TagSource.IMPLIED, null, "implied by flink"));
        }

        @Test
        void aTagImpliedTwiceTakesTheStrongerImplication() {
            KnowledgeGraph graph = graph().implies("flink", "jvm").implies("scala", "jvm").build();

            CanonicalTags out = canonicalize(graph, llm("flink", 0.6), llm("scala", 0.8), CASUAL, BEGINNER);

            assertThat(out.kept()).contains(new TagAssignment("jvm", "tech", 0.8, TagSource.IMPLIED, null, "implied by scala"));
        }

        @Test
        void aProposedTagIsNotReplacedByItsImplication() {
            KnowledgeGraph graph = graph().implies("flink", "streaming").build();

            CanonicalTags out = canonicalize(graph, llm("flink", 0.9), llm("streaming", 0.3), CASUAL, BEGINNER);

            assertThat(out.kept()).contains(llmCanonical("streaming", "tech", 0.3));
        }

        @Test
        @Timeout(value = 10, unit = TimeUnit.SECONDS)
        void anImplicationCycleTerminatesAndAddsEachTagOnce() {
            KnowledgeGraph graph = graph().implies("flink", "streaming").implies("streaming", "jvm")
                    .implies("jvm", "flink").build();

            CanonicalTags out = canonicalize(graph, llm("flink", 0.7), CASUAL, BEGINNER);

            assertThat(graph.impliedBy("flink")).containsExactly("jvm", "streaming");
            assertThat(out.kept()).extracting(TagAssignment::tag, TagAssignment::source)
                    .containsExactly(tuple("beginner", TagSource.LLM), tuple("casual", TagSource.LLM),
                            tuple("flink", TagSource.LLM), tuple("jvm", TagSource.IMPLIED),
                            tuple("streaming", TagSource.IMPLIED));
        }

        @Test
        void aBlockedTagImpliesNothing() {
            KnowledgeGraph graph = graph().profile("banned", STATUS_BLOCKED).implies("banned", "streaming")
                    .profile("adults", R18).implies("adults", "jvm").build();

            CanonicalTags out = canonicalize(graph, llm("banned", 0.9), llm("adults", 0.9), llm("kafka", 0.5), CASUAL);

            assertThat(tags(out)).containsExactly("casual", "kafka");
            assertThat(out.dropped()).extracting(DroppedTag::tag, DroppedTag::blocked)
                    .containsExactlyInAnyOrder(tuple("banned", true), tuple("adults", true));
        }

        @Test
        void aTagAboveOneTenantsLimitStillImpliesForATenantThatAllowsIt() {
            KnowledgeGraph graph = graph().profile("adults", R18).implies("adults", "jvm")
                    .policy("grown-ups", new TenantPolicy(NsfwLevel.R18, false, Set.of())).build();

            CanonicalTags out = canonicalizer.canonicalize(graph, "grown-ups",
                    List.of(llm("adults", 0.9), CASUAL), Map.of());

            assertThat(tags(out)).containsExactly("adults", "casual", "jvm");
        }
    }

    @Nested
    class Conflicts {

        @Test
        void theLessConfidentTagGoesWithTheWinnerNamedWhicheverWayTheConflictWasDeclared() {
            KnowledgeGraph graph = graph().conflict("streaming", "batch").build();

            CanonicalTags streamingWins = canonicalize(graph, llm("streaming", 0.8), llm("batch", 0.6), CASUAL, BEGINNER);
            CanonicalTags batchWins = canonicalize(graph, llm("streaming", 0.6), llm("batch", 0.8), CASUAL, BEGINNER);

            assertThat(graph.conflict("streaming", "batch")).isTrue();
            assertThat(graph.conflict("batch", "streaming")).isTrue();
            assertThat(tags(streamingWins)).containsExactly("beginner", "casual", "streaming");
            assertThat(streamingWins.dropped()).containsExactly(
                    new DroppedTag("batch", 0.6, "llm", "conflicts with streaming (confidence 0.8 over 0.6)", false));
            assertThat(tags(batchWins)).containsExactly("batch", "beginner", "casual");
            assertThat(batchWins.dropped()).containsExactly(
                    new DroppedTag("streaming", 0.6, "llm", "conflicts with batch (confidence 0.8 over 0.6)", false));
        }

        @Test
        void aTieGoesToTheSmallerTagId() {
            KnowledgeGraph graph = graph().conflict("streaming", "batch").build();

            CanonicalTags out = canonicalize(graph, llm("streaming", 0.7), llm("batch", 0.7), CASUAL, BEGINNER);

            assertThat(tags(out)).containsExactly("batch", "beginner", "casual");
        }

        @Test
        void eachConflictCosts10Or25UnderAStrictPolicy() {
            KnowledgeGraph graph = graph().conflict("streaming", "batch").conflict("casual", "formal")
                    .policy("strict", new TenantPolicy(NsfwLevel.ALL_AGES, true, Set.of())).build();
            List<TagAssignment> proposed = List.of(llm("streaming", 0.8), llm("batch", 0.6),
                    llm("casual", 0.5), llm("formal", 0.4), BEGINNER);

            CanonicalTags lenient = canonicalizer.canonicalize(graph, TENANT, proposed, Map.of());
            CanonicalTags strict = canonicalizer.canonicalize(graph, "strict", proposed, Map.of());
            CanonicalTags noTenant = canonicalizer.canonicalize(graph, null, proposed, Map.of());

            assertThat(tags(lenient)).containsExactly("beginner", "casual", "streaming");
            assertThat(lenient.qualityScore()).isEqualTo(80);
            assertThat(tags(strict)).containsExactly("beginner", "casual", "streaming");
            assertThat(strict.qualityScore()).isEqualTo(50);
            assertThat(noTenant.qualityScore()).isEqualTo(80);
        }

        @Test
        void aUsersTagWinsAConflictAgainstAMoreConfidentModel() {
            KnowledgeGraph graph = graph().conflict("streaming", "batch").build();

            CanonicalTags out = canonicalize(graph, llm("streaming", 0.95), user("batch", 0.2), CASUAL, BEGINNER);

            assertThat(tags(out)).containsExactly("batch", "beginner", "casual");
            assertThat(out.dropped()).containsExactly(
                    new DroppedTag("streaming", 0.95, "llm", "conflicts with batch (confidence 0.2 over 0.95)", false));
        }

        @Test
        void aConflictWithATagAlreadyDroppedDoesNotDropAThird() {
            // streaming beats batch; batch (gone) conflicts with python, which therefore stays.
            KnowledgeGraph graph = graph().conflict("streaming", "batch").conflict("batch", "python").build();

            CanonicalTags out = canonicalize(graph, llm("streaming", 0.9), llm("batch", 0.8), llm("python", 0.7),
                    CASUAL, BEGINNER);

            assertThat(tags(out)).containsExactly("beginner", "casual", "python", "streaming");
            assertThat(out.qualityScore()).isEqualTo(90);
        }

        @Test
        void anImplicationIntoAConflictLosesToAMoreConfidentProposal() {
            // flink implies streaming; streaming conflicts with batch.
            KnowledgeGraph graph = graph().implies("flink", "streaming").conflict("streaming", "batch").build();

            CanonicalTags flinkStronger = canonicalize(graph, llm("flink", 0.9), llm("batch", 0.6), CASUAL, BEGINNER);
            CanonicalTags batchStronger = canonicalize(graph, llm("flink", 0.5), llm("batch", 0.8), CASUAL, BEGINNER);

            assertThat(flinkStronger.kept()).containsExactly(BEGINNER, CASUAL, llmCanonical("flink", "tech", 0.9),
                    new TagAssignment("streaming", "tech", 0.9, TagSource.IMPLIED, null, "implied by flink"));
            assertThat(flinkStronger.dropped()).containsExactly(
                    new DroppedTag("batch", 0.6, "llm", "conflicts with streaming (confidence 0.9 over 0.6)", false));
            assertThat(flinkStronger.qualityScore()).isEqualTo(90);
            // The implied tag goes, and so does the tag that implied it: the graph says flink rules
            // batch out, and batch is the more confident proposal.
            assertThat(tags(batchStronger)).containsExactly("batch", "beginner", "casual");
            assertThat(batchStronger.dropped()).containsExactly(
                    new DroppedTag("streaming", 0.5, "implied", "conflicts with batch (confidence 0.8 over 0.5)", false),
                    new DroppedTag("flink", 0.5, "llm", "implies streaming, which conflicts with batch", false));
            assertThat(batchStronger.qualityScore()).isEqualTo(90);
        }
    }

    @Nested
    class Safety {

        @Test
        void aTagBlockedInTheGraphIsDroppedAsBlockedForEveryTenant() {
            KnowledgeGraph graph = graph().profile("banned", STATUS_BLOCKED).profile("gore", NSFW_BLOCKED)
                    .policy("grown-ups", new TenantPolicy(NsfwLevel.R18, false, Set.of())).build();
            List<TagAssignment> proposed = List.of(llm("banned", 0.9), user("gore", 1.0), llm("kafka", 0.8), CASUAL);

            for (String tenant : List.of(TENANT, "grown-ups")) {
                CanonicalTags out = canonicalizer.canonicalize(graph, tenant, proposed, Map.of());

                assertThat(tags(out)).as(tenant).containsExactly("casual", "kafka");
                assertThat(out.dropped()).as(tenant).containsExactlyInAnyOrder(
                        new DroppedTag("banned", 0.9, "llm", "blocked tag", true),
                        new DroppedTag("gore", 1.0, "user", "blocked tag", true));
            }
        }

        @Test
        void aBlockedTagIsNotSubstitutedByABroaderOrRelatedTag() {
            TaxonomyTag banned = new TaxonomyTag("banned", "audience", "Banned", null, List.of("forbidden"));
            KnowledgeGraph graph = KnowledgeGraph.builder(new Taxonomy("tx", TAXONOMY.dimensions(),
                    List.of(banned, tag("kafka", "tech"), tag("casual", "tone"), tag("expert", "audience"),
                            tag("beginner", "audience"))))
                    .profile("banned", STATUS_BLOCKED).broader("banned", "expert").related("banned", "beginner")
                    .build();

            CanonicalTags out = canonicalize(graph, llm("forbidden", 0.9), llm("kafka", 0.8), CASUAL);

            assertThat(tags(out)).containsExactly("casual", "kafka");
            assertThat(out.dropped()).containsExactly(new DroppedTag("banned", 0.9, "llm", "blocked tag", true));
        }

        @Test
        void aRatingAboveTheTenantsLimitIsDroppedWithTheRating() {
            KnowledgeGraph graph = graph().profile("adults", R18).profile("teens", R15)
                    .policy("teen-site", new TenantPolicy(NsfwLevel.R15, false, Set.of())).build();
            List<TagAssignment> proposed = List.of(llm("adults", 0.9), llm("teens", 0.8), llm("kafka", 0.8), CASUAL);

            CanonicalTags allAges = canonicalizer.canonicalize(graph, TENANT, proposed, Map.of());
            CanonicalTags teenSite = canonicalizer.canonicalize(graph, "teen-site", proposed, Map.of());

            assertThat(tags(allAges)).containsExactly("casual", "kafka");
            assertThat(allAges.dropped()).containsExactly(
                    new DroppedTag("adults", 0.9, "llm", "rated r18, above the tenant's limit of all-ages", true),
                    new DroppedTag("teens", 0.8, "llm", "rated r15, above the tenant's limit of all-ages", true));
            assertThat(tags(teenSite)).containsExactly("casual", "kafka", "teens");
            assertThat(teenSite.dropped()).containsExactly(
                    new DroppedTag("adults", 0.9, "llm", "rated r18, above the tenant's limit of r15", true));
        }

        @Test
        void r18IsAllowedForATenantWhoseLimitIsR18() {
            KnowledgeGraph graph = graph().profile("adults", R18)
                    .policy("grown-ups", new TenantPolicy(NsfwLevel.R18, false, Set.of())).build();

            CanonicalTags out = canonicalizer.canonicalize(graph, "grown-ups",
                    List.of(llm("adults", 0.9), llm("kafka", 0.8), CASUAL), Map.of());

            assertThat(out.kept()).contains(llmCanonical("adults", "audience", 0.9));
            assertThat(out.dropped()).isEmpty();
            assertThat(out.qualityScore()).isEqualTo(100);
        }

        @Test
        void aTagTheTenantBlocksIsDroppedForThatTenantOnly() {
            KnowledgeGraph graph = graph()
                    .policy("no-kafka", new TenantPolicy(NsfwLevel.ALL_AGES, false, Set.of("kafka"))).build();
            List<TagAssignment> proposed = List.of(user("kafka", 1.0), llm("flink", 0.8), CASUAL, BEGINNER);

            CanonicalTags blocking = canonicalizer.canonicalize(graph, "no-kafka", proposed, Map.of());
            CanonicalTags other = canonicalizer.canonicalize(graph, TENANT, proposed, Map.of());

            assertThat(tags(blocking)).containsExactly("beginner", "casual", "flink");
            assertThat(blocking.dropped()).containsExactly(
                    new DroppedTag("kafka", 1.0, "user", "blocked by the tenant's policy", true));
            assertThat(tags(other)).containsExactly("beginner", "casual", "flink", "kafka");
        }

        @Test
        void aPinnedTagThatIsBlockedIsDroppedAsBlocked() {
            KnowledgeGraph graph = graph().profile("banned", STATUS_BLOCKED).build();

            CanonicalTags out = canonicalize(graph, Map.of("banned", pinnedBy("bo")), llm("kafka", 0.8), CASUAL);

            assertThat(tags(out)).containsExactly("casual", "kafka");
            assertThat(out.dropped()).containsExactly(new DroppedTag("banned", 1.0, "user", "blocked tag", true));
        }

        @Test
        void aSensitiveTagIsKeptAndFlaggedOnce() {
            KnowledgeGraph graph = graph().profile("politics", SENSITIVE).build();

            CanonicalTags out = canonicalize(graph, llm("politics", 0.8), llm("kafka", 0.8), CASUAL);
            CanonicalTags flagged = canonicalize(graph, new TagAssignment("politics", "audience", 0.8, TagSource.LLM,
                    "llm-1", "sensitive; already flagged"), llm("kafka", 0.8), CASUAL);

            assertThat(out.kept()).contains(new TagAssignment("politics", "audience", 0.8, TagSource.LLM, "llm-1",
                    "sensitive; llm saw politics"));
            assertThat(out.dropped()).isEmpty();
            assertThat(flagged.kept()).extracting(TagAssignment::reason).contains("sensitive; already flagged");
        }
    }

    @Nested
    class Score {

        @Test
        void fewerThanThreeDimensionsCost20() {
            KnowledgeGraph graph = graph().build();

            assertThat(canonicalize(graph, llm("kafka", 0.9), CASUAL, BEGINNER).qualityScore()).isEqualTo(100);
            assertThat(canonicalize(graph, llm("kafka", 0.9), llm("flink", 0.9), CASUAL).qualityScore()).isEqualTo(80);
            assertThat(canonicalize(graph, llm("kafka", 0.9)).qualityScore()).isEqualTo(80);
            assertThat(canonicalize(graph).qualityScore()).as("nothing at all").isEqualTo(80);
        }

        @Test
        void balanceCountsOnlyTagsThatSurviveTheSafetyPolicy() {
            KnowledgeGraph graph = graph().profile("adults", R18).build();

            assertThat(canonicalize(graph, llm("kafka", 0.9), CASUAL, llm("adults", 0.9)).qualityScore()).isEqualTo(80);
        }

        @Test
        void aTaxonomyWithFewerDimensionsNeedsOnlyThoseCovered() {
            Taxonomy two = new Taxonomy("tx-two",
                    List.of(new Dimension("tech", "Tech", null), new Dimension("tone", "Tone", null)),
                    List.of(tag("kafka", "tech"), tag("casual", "tone")));
            KnowledgeGraph graph = KnowledgeGraph.of(two);

            assertThat(canonicalize(graph, llm("kafka", 0.9), CASUAL).qualityScore()).isEqualTo(100);
            assertThat(canonicalize(graph, llm("kafka", 0.9)).qualityScore()).isEqualTo(80);
        }

        @Test
        void theScoreIsClampedAtZero() {
            // 100 - 35 (invalid) - 3 x 25 (strict conflicts) - 20 (one dimension) = -30.
            KnowledgeGraph graph = graph().conflict("streaming", "batch").conflict("streaming", "python")
                    .conflict("streaming", "java")
                    .policy("strict", new TenantPolicy(NsfwLevel.ALL_AGES, true, Set.of())).build();

            CanonicalTags out = canonicalizer.canonicalize(graph, "strict", List.of(llm("streaming", 0.9),
                    llm("batch", 0.8), llm("python", 0.7), llm("java", 0.6), llm("cobol", 0.5)), Map.of());

            assertThat(tags(out)).containsExactly("streaming");
            assertThat(out.qualityScore()).isZero();
        }

        @Test
        void aCleanSetScores100AndIsValid() {
            CanonicalTags out = canonicalize(graph().build(), llm("kafka", 0.9), CASUAL, BEGINNER);

            assertThat(out.qualityScore()).isEqualTo(100).isGreaterThanOrEqualTo(CanonicalTags.VALID_SCORE);
        }
    }

    @Nested
    class TopK {

        @Test
        void onlyTheModelsTopKPerDimensionStayAndTheRestAreRecorded() {
            TagCanonicalizer topTwo = new TagCanonicalizer(2);

            CanonicalTags out = topTwo.canonicalize(graph().build(), TENANT, List.of(
                    llm("kafka", 0.9), llm("flink", 0.8), llm("java", 0.7), llm("scala", 0.6),
                    llm("casual", 0.9), llm("formal", 0.8), llm("humorous", 0.7), BEGINNER), Map.of());

            assertThat(tags(out)).containsExactly("beginner", "casual", "flink", "formal", "kafka");
            assertThat(out.dropped()).containsExactly(
                    new DroppedTag("humorous", 0.7, "llm", "not in the top 2 of dimension tone", false),
                    new DroppedTag("java", 0.7, "llm", "not in the top 2 of dimension tech", false),
                    new DroppedTag("scala", 0.6, "llm", "not in the top 2 of dimension tech", false));
            assertThat(out.qualityScore()).as("top k costs nothing").isEqualTo(100);
        }

        @Test
        void usersTagsAreAlwaysKeptAndDoNotTakeAModelsPlace() {
            TagCanonicalizer topOne = new TagCanonicalizer(1);

            CanonicalTags out = topOne.canonicalize(graph().build(), TENANT, List.of(
                    user("jvm", 0.1), user("python", 0.2), llm("kafka", 0.9), llm("flink", 0.8), CASUAL, BEGINNER),
                    Map.of());

            assertThat(tags(out)).containsExactly("beginner", "casual", "jvm", "kafka", "python");
            assertThat(out.dropped()).containsExactly(
                    new DroppedTag("flink", 0.8, "llm", "not in the top 1 of dimension tech", false));
        }

        @Test
        void impliedTagsCompeteForTheTopK() {
            KnowledgeGraph graph = graph().implies("flink", "streaming").build();

            CanonicalTags out = new TagCanonicalizer(1).canonicalize(graph, TENANT,
                    List.of(llm("flink", 0.8), llm("kafka", 0.9), CASUAL, BEGINNER), Map.of());

            assertThat(tags(out)).containsExactly("beginner", "casual", "kafka");
            assertThat(out.dropped()).containsExactly(
                    new DroppedTag("flink", 0.8, "llm", "not in the top 1 of dimension tech", false),
                    new DroppedTag("streaming", 0.8, "implied", "not in the top 1 of dimension tech", false));
        }
    }

    @Test
    void theKeptTagsAreSortedByTagId() {
        KnowledgeGraph graph = graph().implies("scala", "jvm").build();

        CanonicalTags out = canonicalize(graph, Map.of("java", pinnedBy("bo")), user("python", 1.0), llm("scala", 0.6),
                llm("kafka", 0.9), llm("humorous", 0.4), user("zz-own", 1.0), llm("expert", 0.3), llm("batch", 0.2));

        assertThat(tags(out)).containsExactly(
                "batch", "expert", "humorous", "java", "jvm", "kafka", "python", "scala", "zz-own");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static KnowledgeGraph.Builder graph() {
        return KnowledgeGraph.builder(TAXONOMY);
    }

    private CanonicalTags canonicalize(KnowledgeGraph graph, TagAssignment... proposed) {
        return canonicalize(graph, Map.of(), proposed);
    }

    private CanonicalTags canonicalize(KnowledgeGraph graph, Map<String, TagVerdict> verdicts, TagAssignment... proposed) {
        return canonicalizer.canonicalize(graph, TENANT, List.of(proposed), verdicts);
    }

    private static List<String> tags(CanonicalTags out) {
        return out.kept().stream().map(TagAssignment::tag).toList();
    }

    private static TaxonomyTag tag(String id, String dimension) {
        return new TaxonomyTag(id, dimension, id, null, List.of());
    }

    /** A model's proposal as a tagger makes it: the name as seen, no dimension of the graph's yet. */
    private static TagAssignment llm(String name, double confidence) {
        String dimension = TAXONOMY.resolve(name).map(TaxonomyTag::dimension).orElse("?");
        return new TagAssignment(name, dimension, confidence, TagSource.LLM, "llm-1", "llm saw " + name);
    }

    private static TagAssignment llmCanonical(String tag, String dimension, double confidence) {
        return new TagAssignment(tag, dimension, confidence, TagSource.LLM, "llm-1", "llm saw " + tag);
    }

    private static TagAssignment user(String name, double confidence) {
        String dimension = TAXONOMY.resolve(name).map(TaxonomyTag::dimension).orElse("user");
        return new TagAssignment(name, dimension, confidence, TagSource.USER, null, "tagged by the author");
    }

    private static TagVerdict rejectedBy(String actor) {
        return new TagVerdict(false, actor, T0);
    }

    private static TagVerdict pinnedBy(String actor) {
        return new TagVerdict(true, actor, T0);
    }
}
