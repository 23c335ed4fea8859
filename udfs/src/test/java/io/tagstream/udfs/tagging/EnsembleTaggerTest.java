package io.tagstream.udfs.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.TagSource;
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
                new EnsembleTagger.Source(embedding, false), new EnsembleTagger.Source(rules, true))).tag(REQUEST);

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
        TaggerFactory factory = EnsembleTagger.factory(List.of(EnsembleTagger.source(new ListenedTo(given)),
                EnsembleTagger.heuristic(new ListenedTo(given)), EnsembleTagger.source(taxonomy -> request -> List.of())));
        LlmListener metrics = new LlmListener() {};

        factory.create(null, metrics);
        assertThat(given).containsExactly(metrics, metrics);
        factory.create(null);
        assertThat(given).containsExactly(metrics, metrics, LlmListener.NONE, LlmListener.NONE);
    }

    @Test
    void batchesKeepTheOrderOfRequests() {
        Tagger byTitle = request -> List.of(new TagAssignment(request.title(), "d", 0.5, TagSource.RULE, null, "r"));
        List<List<TagAssignment>> results = new EnsembleTagger(List.of(new EnsembleTagger.Source(byTitle, false))).tagAll(List.of(
                new TaggingRequest("t", "1", "a", null, null), new TaggingRequest("t", "2", "b", null, null)));
        assertThat(results).map(r -> r.get(0).tag()).containsExactly("a", "b");
    }

    @Test
    void heuristicSourcesOnlySupportOnceAnotherSourceIsCalibratedForTheTenant() {
        Tagger model = new Tagger() {
            @Override
            public List<TagAssignment> tag(TaggingRequest request) {
                return List.of(new TagAssignment("kafka", "topic", 0.6, TagSource.EMBEDDING, "bge+knn", "votes"));
            }

            @Override
            public boolean calibratedFor(String tenant) {
                return tenant.equals("with-examples");
            }
        };
        Tagger keywords = request -> List.of(
                new TagAssignment("kafka", "topic", 0.5, TagSource.RULE, "kw", "matched"),
                new TagAssignment("c", "language", 0.6, TagSource.RULE, "kw", "matched \"c\""));
        EnsembleTagger ensemble = new EnsembleTagger(List.of(
                new EnsembleTagger.Source(model, false), new EnsembleTagger.Source(keywords, true)));

        assertThat(ensemble.tag(new TaggingRequest("with-examples", "1", "t", "b", null)))
                .map(t -> t.tag() + " " + t.confidence()).containsExactly("kafka 0.8");
        assertThat(ensemble.tag(new TaggingRequest("zero-shot", "1", "t", "b", null)))
                .map(t -> t.tag() + " " + t.confidence()).containsExactlyInAnyOrder("kafka 0.8", "c 0.6");
        assertThat(ensemble.calibratedFor("with-examples")).isTrue();
        assertThat(ensemble.calibratedFor("zero-shot")).isFalse();
    }
}
