package io.tagstream.udfs.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.SessionPhase;
import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestDirection;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.schemas.SuggestedTag;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.KnowledgeGraphFile;
import io.tagstream.udfs.tagging.KeywordTagger;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The state machine rule by rule, each abort condition at its boundary, on a small graph. */
class SessionStateMachineTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final KnowledgeGraph GRAPH = graph("""
            - {kind: dimension, id: character, label: character}
            - {kind: dimension, id: appearance, label: appearance}
            - {kind: dimension, id: scene, label: scene}
            - {kind: dimension, id: mood, label: mood}
            - {kind: dimension, id: style, label: style}
            - {kind: tag, id: "character::elf", dimension: character, label: 精靈, aliases: [elf],
               implies: ["appearance::pointy-ears"],
               related: ["scene::forest", "style::watercolor", "style::anime", "appearance::long-hair"]}
            - {kind: tag, id: "character::girl", dimension: character, label: 少女, aliases: [girl],
               related: ["appearance::long-hair", "style::anime"]}
            - {kind: tag, id: "character::loli", dimension: character, label: 蘿莉, aliases: [loli], nsfw_level: blocked}
            - {kind: tag, id: "appearance::pointy-ears", dimension: appearance, label: 尖耳, aliases: [pointy ears]}
            - {kind: tag, id: "appearance::long-hair", dimension: appearance, label: 長髮, aliases: [long hair],
               conflicts: ["appearance::short-hair"]}
            - {kind: tag, id: "appearance::short-hair", dimension: appearance, label: 短髮, aliases: [short hair]}
            - {kind: tag, id: "scene::forest", dimension: scene, label: 森林, aliases: [forest],
               related: ["mood::serene", "style::watercolor"]}
            - {kind: tag, id: "scene::lake", dimension: scene, label: 湖畔, aliases: [lake], related: ["mood::serene"]}
            - {kind: tag, id: "mood::serene", dimension: mood, label: 寧靜, aliases: [serene], related: ["style::watercolor"]}
            - {kind: tag, id: "mood::gore", dimension: mood, label: 血腥, aliases: [gore], nsfw_level: r18}
            - {kind: tag, id: "style::watercolor", dimension: style, label: 水彩, aliases: [watercolor]}
            - {kind: tag, id: "style::anime", dimension: style, label: 動漫, aliases: [anime]}
            - {kind: policy, tenant: art, max_nsfw: r18}
            """);
    private static final SessionLimits LIMITS = SessionLimits.DEFAULT;

    @Test
    void aClearIdeaGetsDirectionsAnchoredOnItsMostRelatedOpenDimension() {
        SessionStateMachine.Outcome first = machine(LIMITS).onRequest(null, start("s1", "精靈在森林"));

        SuggestResponse response = first.response();
        assertThat(response.phase()).isEqualTo(SessionPhase.EXPLORING);
        assertThat(response.turn()).isEqualTo(1);
        assertThat(response.directions()).extracting(SuggestDirection::title)
                .containsExactly("水彩: 精靈 · 森林", "動漫: 精靈 · 森林");
        assertThat(response.directions().get(0).tags()).extracting(SuggestedTag::tag).containsExactly(
                "character::elf", "appearance::long-hair", "appearance::pointy-ears", "scene::forest", "mood::serene",
                "style::watercolor");
        assertThat(response.directions()).allSatisfy(d -> {
            assertThat(d.qualityScore()).isEqualTo(100);
            assertThat(d.valid()).isTrue();
        });
        assertThat(response.toolCalls()).containsExactly(java.util.Map.entry("explore", 1),
                java.util.Map.entry("understand", 1), java.util.Map.entry("validate", 1));
        assertThat(first.armIdleCheck()).isTrue();
        assertThat(first.state().progress()).isEqualTo(1);
    }

    @Test
    void choosingADirectionCompletesTheSessionInTheSecondTurn() {
        SessionStateMachine machine = machine(LIMITS);
        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();

        SessionStateMachine.Outcome done = machine.onRequest(s, choose("s1", 2));

        assertThat(done.response().phase()).isEqualTo(SessionPhase.COMPLETED);
        assertThat(done.response().turn()).isEqualTo(2);
        assertThat(done.response().result().title()).isEqualTo("動漫: 精靈 · 森林");
        assertThat(done.response().result().hasTag("character::elf")).isTrue();
        assertThat(done.armIdleCheck()).isFalse();
        assertThat(done.response().toolCalls()).containsEntry("finalize", 1);
    }

    @Test
    void aVagueIdeaIsAskedAboutAndAClarificationMakesItClear() {
        SessionStateMachine machine = machine(LIMITS);
        SessionStateMachine.Outcome vague = machine.onRequest(null, start("s1", "畫一張好看的精靈"));

        assertThat(vague.response().phase()).isEqualTo(SessionPhase.UNDERSTANDING);
        assertThat(vague.response().directions()).isEmpty();
        assertThat(vague.response().questions()).containsExactly("appearance? e.g. 尖耳, 長髮, 短髮",
                "scene? e.g. 森林, 湖畔", "mood? e.g. 寧靜");
        assertThat(vague.response().message()).startsWith("The idea is too vague");

        SessionStateMachine.Outcome clear = machine.onRequest(vague.state(), text("s1", "在湖畔"));
        assertThat(clear.response().phase()).isEqualTo(SessionPhase.EXPLORING);
        assertThat(clear.state().idea()).isEqualTo("畫一張好看的精靈 在湖畔");
        assertThat(clear.response().directions()).isNotEmpty()
                .allSatisfy(d -> assertThat(d.hasTag("scene::lake")).isTrue());
    }

    @Test
    void anUnsafeIdeaIsRefusedWithTheReasonButNeverTheTagAndNothingInstead() {
        SessionStateMachine.Outcome refused = machine(LIMITS).onRequest(null, start("s1", "a cute loli elf in a forest"));

        assertThat(refused.response().phase()).isEqualTo(SessionPhase.ABORTED);
        assertThat(refused.response().refused()).isTrue();
        assertThat(refused.response().abortReason())
                .isEqualTo("refused: the idea asks for content this tenant may not have (blocked tag)");
        assertThat(refused.response().directions()).isEmpty();
        assertThat(refused.response().result()).isNull();
        assertThat(Json.toString(refused.response()) + Json.toString(refused.state()))
                .doesNotContainIgnoringCase("loli").doesNotContain("蘿莉");
        assertThat(refused.state().idea()).isEqualTo("[refused]");
        assertThat(refused.armIdleCheck()).isFalse();
    }

    @Test
    void aRatingAboveTheTenantsLimitIsRefusedWhereTheTenantAllowsItItIsNot() {
        SessionStateMachine machine = machine(LIMITS);

        assertThat(machine.onRequest(null, start("s1", "gore elf forest")).response().abortReason())
                .isEqualTo("refused: the idea asks for content this tenant may not have "
                        + "(rated r18, above the tenant's limit of all-ages)");
        SuggestRequest forArt = new SuggestRequest("r1", "s2", "art", SuggestAction.START, "gore elf forest", null, false, T0);
        assertThat(machine.onRequest(null, forArt).response().phase()).isEqualTo(SessionPhase.EXPLORING);
    }

    @Test
    void costAbortsOnceItExceedsTheCapWithTheBestResultSoFar() {
        SessionStateMachine machine = new SessionStateMachine(new SuggestionTools(GRAPH, new PricedTagger(0.01)),
                new SessionLimits(0.015, 15, 5, 120_000, 3));
        SessionStateMachine.Outcome first = machine.onRequest(null, start("s1", "精靈在森林"));
        assertThat(first.response().phase()).isEqualTo(SessionPhase.EXPLORING);
        assertThat(first.response().cost()).isEqualTo(0.01);
        assertThat(first.response().inputTokens()).isEqualTo(5);

        SessionStateMachine.Outcome second = machine.onRequest(first.state(), choose("s1", 1, "長髮"));

        assertThat(second.response().phase()).isEqualTo(SessionPhase.ABORTED);
        assertThat(second.response().abortReason()).isEqualTo("cost cap: $0.020000 spent, the cap is $0.015000");
        assertThat(second.response().result()).isEqualTo(first.response().directions().get(0));
        assertThat(second.armIdleCheck()).isFalse();
    }

    @Test
    void spendingExactlyTheCapIsAllowed() {
        SessionStateMachine machine = new SessionStateMachine(new SuggestionTools(GRAPH, new PricedTagger(0.01)),
                new SessionLimits(0.02, 15, 5, 120_000, 3));
        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();

        SessionStateMachine.Outcome second = machine.onRequest(s, choose("s1", 1, "長髮"));

        assertThat(second.response().phase()).isEqualTo(SessionPhase.REFINING);
        assertThat(second.response().cost()).isEqualTo(0.02);
    }

    @Test
    void theLastAllowedTurnMayCompleteTheSession() {
        SessionStateMachine machine = machine(new SessionLimits(1, 2, 5, 120_000, 3));
        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();

        assertThat(machine.onRequest(s, choose("s1", 1)).response().phase()).isEqualTo(SessionPhase.COMPLETED);
    }

    @Test
    void aSessionUnfinishedAfterItsLastTurnAbortsWithItsRefinedResult() {
        SessionStateMachine machine = machine(new SessionLimits(1, 2, 5, 120_000, 3));
        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();

        SessionStateMachine.Outcome second = machine.onRequest(s, choose("s1", 1, "短髮"));

        assertThat(second.response().phase()).isEqualTo(SessionPhase.ABORTED);
        assertThat(second.response().abortReason()).isEqualTo("turn limit: 2 turns used, the limit is 2");
        assertThat(second.response().result().hasTag("appearance::short-hair")).isTrue();
        assertThat(second.response().result().hasTag("appearance::long-hair")).isFalse();
    }

    @Test
    void aToolGetsExactlyItsLimitOfCallsAndTheNextCallAborts() {
        SessionStateMachine machine = machine(new SessionLimits(1, 15, 2, 120_000, 3));
        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();       // validate 1
        SessionStateMachine.Outcome refined = machine.onRequest(s, choose("s1", 1, "短髮")); // validate 2
        assertThat(refined.response().phase()).isEqualTo(SessionPhase.REFINING);
        assertThat(refined.response().toolCalls()).containsEntry("validate", 2).containsEntry("refine", 1);

        SessionStateMachine.Outcome third = machine.onRequest(refined.state(), text("s1", "寧靜"));

        assertThat(third.response().phase()).isEqualTo(SessionPhase.ABORTED);
        assertThat(third.response().abortReason()).isEqualTo("tool limit: 'validate' was already called 2 times, the limit is 2");
        assertThat(third.response().result()).isEqualTo(refined.response().result());
    }

    @Test
    void identicalRefinementsInARowConvergeAndAnyOtherTurnResetsTheCount() {
        SessionStateMachine machine = machine(new SessionLimits(1, 15, 10, 120_000, 3));
        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();
        s = machine.onRequest(s, choose("s1", 1, "短髮")).state();
        s = machine.onRequest(s, text("s1", " 短髮 ")).state();
        assertThat(s.phase()).isEqualTo(SessionPhase.REFINING);
        s = machine.onRequest(s, text("s1", "寧靜")).state();
        s = machine.onRequest(s, text("s1", "短髮")).state();
        s = machine.onRequest(s, text("s1", "短髮")).state();
        assertThat(s.phase()).isEqualTo(SessionPhase.REFINING);

        SessionStateMachine.Outcome third = machine.onRequest(s, text("s1", "短髮"));

        assertThat(third.response().phase()).isEqualTo(SessionPhase.ABORTED);
        assertThat(third.response().abortReason()).isEqualTo("converged: the same refinement 3 times in a row");
        assertThat(third.response().result().hasTag("appearance::short-hair")).isTrue();
    }

    @Test
    void anIdleCheckAbortsOnlyIfNothingHappenedSinceItWasSent() {
        SessionStateMachine machine = machine(LIMITS);
        SessionStateMachine.Outcome first = machine.onRequest(null, start("s1", "精靈在森林"));
        IdleCheck sentAfterFirst = new IdleCheck("s1", first.state().progress());
        SessionStateMachine.Outcome second = machine.onRequest(first.state(), choose("s1", 2, "短髮"));

        assertThat(machine.onIdleCheck(second.state(), sentAfterFirst)).isEmpty();
        Optional<SessionStateMachine.Outcome> idle = machine.onIdleCheck(second.state(),
                new IdleCheck("s1", second.state().progress()));

        assertThat(idle).isPresent();
        SuggestResponse response = idle.get().response();
        assertThat(response.phase()).isEqualTo(SessionPhase.ABORTED);
        assertThat(response.abortReason()).isEqualTo("idle timeout: no turn for 120.0 s");
        assertThat(response.requestId()).isNull();
        assertThat(response.occurredAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(idle.get().state().updatedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(idle.get().state().lastProgressAt()).isEqualTo(T0);
        assertThat(response.turn()).isEqualTo(2);
        assertThat(response.result()).isEqualTo(second.response().result());
        assertThat(idle.get().armIdleCheck()).isFalse();
        assertThat(machine.onIdleCheck(idle.get().state(), new IdleCheck("s1", second.state().progress()))).isEmpty();
    }

    @Test
    void aRemovedTagStaysOutEvenThoughTheIdeaImpliesIt() {
        SessionStateMachine machine = machine(LIMITS);
        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();
        s = machine.onRequest(s, choose("s1", 1, "不要尖耳，寧靜")).state();
        assertThat(s.result().hasTag("appearance::pointy-ears")).isFalse();
        assertThat(s.excluded()).containsExactly("appearance::pointy-ears");

        SessionState done = machine.onRequest(s, finish("s1")).state();

        assertThat(done.phase()).isEqualTo(SessionPhase.COMPLETED);
        assertThat(done.result().hasTag("appearance::pointy-ears")).isFalse();
        assertThat(done.result().hasTag("character::elf")).isTrue();
    }

    @Test
    void aRefinementWinsConflictsAndAnUnsafeOneIsRefusedWithoutChangingTheSession() {
        SessionStateMachine machine = machine(LIMITS);
        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();
        SessionState refined = machine.onRequest(s, choose("s1", 1, "short hair")).state();
        SuggestedTag shortHair = refined.result().tags().stream().filter(t -> t.tag().equals("appearance::short-hair"))
                .findFirst().orElseThrow();
        assertThat(shortHair.source()).isEqualTo(TagSource.USER);
        assertThat(refined.result().hasTag("appearance::long-hair")).isFalse();

        SessionStateMachine.Outcome unsafe = machine.onRequest(refined, text("s1", "loli"));

        assertThat(unsafe.response().phase()).isEqualTo(SessionPhase.REFINING);
        assertThat(unsafe.response().message())
                .isEqualTo("Refused: the refinement asks for content this tenant may not have (blocked tag); nothing changed.");
        assertThat(unsafe.state().result()).isEqualTo(refined.result());
    }

    @Test
    void turnsForUnknownFinishedOrRestartedSessionsChangeNothing() {
        SessionStateMachine machine = machine(LIMITS);
        SessionStateMachine.Outcome unknown = machine.onRequest(null, choose("nope", 1));
        assertThat(unknown.state()).isNull();
        assertThat(unknown.response().abortReason()).isEqualTo("unknown session");

        SessionState s = machine.onRequest(null, start("s1", "精靈在森林")).state();
        SessionStateMachine.Outcome again = machine.onRequest(s, start("s1", "別的"));
        assertThat(again.state()).isEqualTo(s);
        assertThat(again.armIdleCheck()).isFalse();

        SessionStateMachine.Outcome outOfRange = machine.onRequest(s, choose("s1", 9));
        assertThat(outOfRange.response().message()).isEqualTo("There are 2 directions: choose 1 to 2.");
        assertThat(outOfRange.state().phase()).isEqualTo(SessionPhase.EXPLORING);

        SessionState done = machine.onRequest(s, choose("s1", 1)).state();
        SessionStateMachine.Outcome late = machine.onRequest(done, text("s1", "短髮"));
        assertThat(late.state()).isEqualTo(done);
        assertThat(late.response().message()).isEqualTo("This session is completed; start a new one for another idea.");
    }

    // ------------------------------------------------------------------------------------------

    static SessionStateMachine machine(SessionLimits limits) {
        return new SessionStateMachine(new SuggestionTools(GRAPH, new KeywordTagger(GRAPH.taxonomy())), limits);
    }

    static SuggestRequest start(String session, String idea) {
        return new SuggestRequest("r-start", session, "acme", SuggestAction.START, idea, null, false, T0);
    }

    static SuggestRequest choose(String session, int choice) {
        return new SuggestRequest("r-choose", session, "acme", SuggestAction.CONTINUE, null, choice, false, T0);
    }

    static SuggestRequest choose(String session, int choice, String refinement) {
        return new SuggestRequest("r-choose", session, "acme", SuggestAction.CONTINUE, refinement, choice, false, T0);
    }

    static SuggestRequest text(String session, String text) {
        return new SuggestRequest("r-text", session, "acme", SuggestAction.CONTINUE, text, null, false, T0);
    }

    static SuggestRequest finish(String session) {
        return new SuggestRequest("r-finish", session, "acme", SuggestAction.CONTINUE, null, null, true, T0);
    }

    static KnowledgeGraph graph(String yaml) {
        try {
            return KnowledgeGraphFile.parse(yaml.getBytes(StandardCharsets.UTF_8), KnowledgeGraphFile.Format.YAML, "test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stands for a paid model: the keyword tagger's tags at a fixed price per call, tokens by length. */
    static final class PricedTagger implements MeteredTagger {
        private final Tagger tags = new KeywordTagger(GRAPH.taxonomy());
        private final double pricePerCall;

        PricedTagger(double pricePerCall) {
            this.pricePerCall = pricePerCall;
        }

        @Override
        public Metered tagMetered(TaggingRequest request) {
            List<io.tagstream.udfs.tagging.TagAssignment> found = tags.tag(request);
            return new Metered(found, new Usage(request.title().length(), found.size(), pricePerCall));
        }
    }
}
