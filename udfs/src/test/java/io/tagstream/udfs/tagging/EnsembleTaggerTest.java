package io.tagstream.udfs.tagging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.EnsembleTagger.Role;
import io.tagstream.udfs.tagging.EnsembleTagger.Source;
import io.tagstream.udfs.tagging.llm.LlmListener;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnsembleTaggerTest {
    private static final TaggingRequest REQUEST = new TaggingRequest("t", "c1", "title", "body", null);

    @Test
    void agreementIsIndependentEvidenceAndTheStrongestSourceStands() {
        Tagger embedding = request -> List.of(
                new TagAssignment("kafka", "topic", 0.6, TagSource.EMBEDDING, "bge", "similar"),
                new TagAssignment("flink", "topic", 0.55, TagSource.EMBEDDING, "bge", "similar too"));
        Tagger rules = request -> List.of(new TagAssignment("kafka", "topic", 0.7, TagSource.RULE, "rules/1", "matched \"kafka\""));
        List<TagAssignment> merged = new EnsembleTagger(List.of(
                new Source(embedding, Role.MODEL), new Source(rules, Role.HEURISTIC)), 0).tag(REQUEST);

        assertThat(merged).hasSize(2);
        TagAssignment kafka = merged.stream().filter(t -> t.tag().equals("kafka")).findFirst().orElseThrow();
        assertThat(kafka.confidence()).isEqualTo(0.88); // 1 - 0.4 * 0.3
        assertThat(kafka.source()).isEqualTo(TagSource.RULE);
        assertThat(kafka.model()).isEqualTo("rules/1");
        assertThat(kafka.reason()).isEqualTo("rule 0.70: matched \"kafka\" | embedding 0.60: similar");
        TagAssignment flink = merged.stream().filter(t -> t.tag().equals("flink")).findFirst().orElseThrow();
        assertThat(flink).isEqualTo(new TagAssignment("flink", "topic", 0.55, TagSource.EMBEDDING, "bge", "similar too"));
    }

    /** A source that remembers which LLM listener each tagger it built was given. */
    private record ListenedTo(List<LlmListener> given) implements TaggerFactory {
        @Override
        public Tagger create(Taxonomy taxonomy) {
            return create(taxonomy, LlmListener.NONE);
        }

        @Override
        public Tagger create(Taxonomy taxonomy, LlmListener llm) {
            given.add(llm);
            return request -> List.of();
        }
    }

    @Test
    void theFactoryHandsTheLlmListenerToEverySource() {
        List<LlmListener> given = new ArrayList<>();
        TaggerFactory factory = EnsembleTagger.factory(List.of(EnsembleTagger.model(new ListenedTo(given)),
                EnsembleTagger.heuristic(new ListenedTo(given)), EnsembleTagger.authored(taxonomy -> request -> List.of())), 0);
        LlmListener metrics = new LlmListener() {};

        factory.create(null, metrics);
        assertThat(given).containsExactly(metrics, metrics);
        factory.create(null);
        assertThat(given).containsExactly(metrics, metrics, LlmListener.NONE, LlmListener.NONE);
    }

    @Test
    void batchesKeepTheOrderOfRequests() {
        Tagger byTitle = request -> List.of(new TagAssignment(request.title(), "d", 0.5, TagSource.RULE, null, "r"));
        List<List<TagAssignment>> results = new EnsembleTagger(List.of(new Source(byTitle, Role.AUTHORED)), 0).tagAll(List.of(
                new TaggingRequest("t", "1", "a", null, null), new TaggingRequest("t", "2", "b", null, null)));
        assertThat(results).map(r -> r.get(0).tag()).containsExactly("a", "b");
    }

    @Test
    void nextToAModelHeuristicMatchesOnlySupportTheModelsTags() {
        Tagger model = request -> List.of(new TagAssignment("kafka", "topic", 0.3, TagSource.EMBEDDING, "bge", "similar"));
        Tagger keywords = request -> List.of(
                new TagAssignment("kafka", "topic", 0.5, TagSource.RULE, "kw", "matched"),
                new TagAssignment("c", "language", 0.6, TagSource.RULE, "kw", "matched \"c\""));
        Tagger rules = request -> List.of(new TagAssignment("java", "language", 0.9, TagSource.RULE, "rules/1", "rule"));
        EnsembleTagger ensemble = new EnsembleTagger(List.of(new Source(model, Role.MODEL),
                new Source(keywords, Role.HEURISTIC), new Source(rules, Role.AUTHORED)), 0);

        assertThat(ensemble.tag(REQUEST)).map(t -> t.tag() + " " + t.confidence())
                .containsExactlyInAnyOrder("kafka 0.65", "java 0.9");
    }

    @Test
    void withoutAModelHeuristicMatchesStandAlone() {
        Tagger keywords = request -> List.of(new TagAssignment("c", "language", 0.3, TagSource.RULE, "kw", "matched \"c\""));
        Tagger rules = request -> List.of(new TagAssignment("java", "language", 0.9, TagSource.RULE, "rules/1", "rule"));
        EnsembleTagger ensemble = new EnsembleTagger(List.of(new Source(keywords, Role.HEURISTIC), new Source(rules, Role.AUTHORED)), 0);

        assertThat(ensemble.tag(REQUEST)).map(t -> t.tag() + " " + t.confidence()).containsExactly("c 0.3", "java 0.9");
    }

    @Test
    void aWeakCandidateStandsOnlyWhenAgreementLiftsItToTheMinimumConfidence() {
        Tagger model = request -> List.of(
                new TagAssignment("kafka", "topic", 0.3, TagSource.EMBEDDING, "bge", "similar"),
                new TagAssignment("flink", "topic", 0.3, TagSource.EMBEDDING, "bge", "similar"),
                new TagAssignment("spark", "topic", 0.5, TagSource.EMBEDDING, "bge", "very similar"));
        Tagger keywords = request -> List.of(new TagAssignment("kafka", "topic", 0.6, TagSource.RULE, "kw", "matched"));
        EnsembleTagger ensemble = new EnsembleTagger(List.of(new Source(model, Role.MODEL), new Source(keywords, Role.HEURISTIC)), 0.5);

        assertThat(ensemble.tag(REQUEST)).map(t -> t.tag() + " " + t.confidence()).containsExactly("kafka 0.72", "spark 0.5");
    }

    @Test
    void refusesAMinimumConfidenceOutsideZeroToOne() {
        Tagger model = request -> List.of();
        assertThatThrownBy(() -> new EnsembleTagger(List.of(new Source(model, Role.MODEL)), 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minConfidence must be in [0, 1], was 1.5");
    }
}
