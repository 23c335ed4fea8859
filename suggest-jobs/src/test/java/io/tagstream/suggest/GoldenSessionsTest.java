package io.tagstream.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.SessionPhase;
import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestDirection;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.schemas.SuggestedTag;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.suggest.SessionState;
import io.tagstream.udfs.suggest.SessionStateMachine;
import io.tagstream.udfs.suggest.SuggestionTools;
import io.tagstream.udfs.tagging.KeywordTagger;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The seed's golden sessions (inspire-agent-tag-kb.md, "金樣測試") on the bundled creative-ideas
 * taxonomy, through the same state machine the job runs: a clear idea completes in two turns with
 * its key tag, a vague one is asked about, an unsafe one is refused. Where the seed is wrong by this
 * project's rules, the test says so.
 */
class GoldenSessionsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private final KnowledgeGraph graph = graph();
    private final SessionStateMachine machine = new SessionStateMachine(
            new SuggestionTools(graph, new KeywordTagger(graph.taxonomy())),
            SuggestionJob.limits(TagstreamConfig.of(Map.of())));

    @Test
    void goldenA_aClearIdeaCompletesInTwoTurnsWithItsKeyTag() {
        SessionStateMachine.Outcome first = machine.onRequest(null, start("一個穿白裙的精靈少女在森林中，夢幻氛圍"));

        SuggestResponse exploring = first.response();
        assertThat(exploring.phase()).isEqualTo(SessionPhase.EXPLORING);
        assertThat(exploring.directions()).hasSize(3);
        assertThat(exploring.directions()).extracting(SuggestDirection::title).containsExactly(
                "水彩: 精靈 · 少女 · 白裙", "動漫: 精靈 · 少女 · 白裙", "奇幻插畫: 精靈 · 少女 · 白裙");
        for (SuggestDirection direction : exploring.directions()) {
            assertThat(direction.tags()).hasSizeBetween(10, 15);
            assertThat(direction.qualityScore()).isGreaterThanOrEqualTo(85);
            assertThat(direction.valid()).isTrue();
            assertThat(direction.tags()).extracting(SuggestedTag::tag).contains("character::elf", "character::girl",
                    "clothing::white-dress", "scene::forest", "mood::dreamy", "appearance::pointy-ears");
            Set<String> dimensions = new HashSet<>();
            direction.tags().forEach(t -> dimensions.add(t.dimension()));
            assertThat(dimensions).containsExactlyInAnyOrder("character", "appearance", "clothing", "scene", "lighting",
                    "mood", "style");
        }
        assertThat(exploring.directions().get(0).tags()).extracting(SuggestedTag::tag).contains("style::watercolor")
                .doesNotContain("style::anime");

        SessionStateMachine.Outcome second = machine.onRequest(first.state(), choose(1));

        SuggestResponse completed = second.response();
        assertThat(completed.phase()).isEqualTo(SessionPhase.COMPLETED);
        assertThat(completed.turn()).isEqualTo(2);
        assertThat(completed.result().qualityScore()).isGreaterThanOrEqualTo(85);
        assertThat(completed.result().hasTag("character::elf")).isTrue();
        assertThat(completed.result().tags()).filteredOn(t -> t.tag().equals("character::elf"))
                .extracting(SuggestedTag::label).containsExactly("精靈");
        assertThat(completed.result().tags()).isEqualTo(exploring.directions().get(0).tags());
        assertThat(completed.abortReason()).isNull();
    }

    @Test
    void goldenB_aVagueIdeaIsAskedToClarify() {
        SessionStateMachine.Outcome vague = machine.onRequest(null, start("幫我畫一張好看的圖"));

        assertThat(vague.response().phase()).isEqualTo(SessionPhase.UNDERSTANDING);
        assertThat(vague.response().directions()).isEmpty();
        assertThat(vague.response().questions()).containsExactly("角色? e.g. 精靈, 少女, 少年",
                "外貌? e.g. 長髮, 短髮, 銀髮", "服裝? e.g. 白裙, 花冠, 斗篷");
        assertThat(vague.armIdleCheck()).isTrue();
    }

    /**
     * The seed expects the refusal to echo the blocked word ("loli" in reason) and to suggest
     * substitutes: here a blocked tag reaches no output by name and nothing is substituted.
     */
    @Test
    void goldenC_anUnsafeIdeaIsRefused() {
        SessionStateMachine.Outcome unsafe = machine.onRequest(null, start("a cute loli girl with cat ears"));

        SuggestResponse refused = unsafe.response();
        assertThat(refused.phase()).isEqualTo(SessionPhase.ABORTED);
        assertThat(refused.refused()).isTrue();
        assertThat(refused.abortReason()).isEqualTo("refused: the idea asks for content this tenant may not have (blocked tag)");
        assertThat(refused.directions()).isEmpty();
        assertThat(refused.result()).isNull();
        SessionState kept = unsafe.state();
        assertThat(Json.toString(refused) + Json.toString(kept)).doesNotContainIgnoringCase("loli").doesNotContain("蘿莉");
    }

    @Test
    void anR18IdeaIsRefusedForTheDefaultTenantAndAllowedForTheArtStudio() {
        String idea = "nude elf in a forest";
        assertThat(machine.onRequest(null, start(idea)).response().abortReason())
                .isEqualTo("refused: the idea asks for content this tenant may not have "
                        + "(rated r18, above the tenant's limit of all-ages)");
        SuggestRequest forArtStudio = new SuggestRequest("r1", "s2", "art-studio", SuggestAction.START, idea, null, false, T0);
        assertThat(machine.onRequest(null, forArtStudio).response().phase()).isEqualTo(SessionPhase.EXPLORING);
    }

    @Test
    void theBundledTaxonomyIsTheCreativeIdeasOne() {
        assertThat(graph.taxonomy().dimensions()).extracting(d -> d.id())
                .containsExactly("character", "appearance", "clothing", "scene", "lighting", "mood", "style");
        assertThat(graph.canonical("elf").orElseThrow().id()).isEqualTo("character::elf");
        assertThat(graph.impliedBy("character::elf")).containsExactly("appearance::pointy-ears");
        assertThat(graph.conflict("lighting::golden-hour", "lighting::moonlight")).isTrue();
        assertThat(graph.allowed("acme", "character::loli")).isFalse();
    }

    private static KnowledgeGraph graph() {
        try {
            return SuggestionJob.graph(TagstreamConfig.of(Map.of()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SuggestRequest start(String idea) {
        return new SuggestRequest("r1", "s1", "acme", SuggestAction.START, idea, null, false, T0);
    }

    private static SuggestRequest choose(int choice) {
        return new SuggestRequest("r2", "s1", "acme", SuggestAction.CONTINUE, null, choice, false, T0.plusSeconds(20));
    }

    @SuppressWarnings("unused")
    private static List<String> tags(SuggestDirection d) {
        return d.tags().stream().map(SuggestedTag::tag).toList();
    }
}
