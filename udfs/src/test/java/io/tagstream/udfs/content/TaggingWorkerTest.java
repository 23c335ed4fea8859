package io.tagstream.udfs.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaggingWorkerTest {
    private static final Taxonomy TAXONOMY = new Taxonomy("tx-1", List.of(new Dimension("d", "D", null)), List.of());

    private static ContentEvent event(String id, long version, String title, List<String> userTags) {
        return new ContentEvent("e" + version, "t", id, ContentOp.UPSERT, version, Instant.EPOCH, title, "", null, null,
                Map.of(), userTags);
    }

    @Test
    void tagsABatchInOneCallAndDoesNotRetagUnchangedText() throws Exception {
        List<Integer> batchSizes = new ArrayList<>();
        Tagger tagger = new Tagger() {
            @Override
            public List<TagAssignment> tag(TaggingRequest request) {
                return List.of(new TagAssignment(request.title(), "d", 0.7, TagSource.EMBEDDING, "m", "r"));
            }

            @Override
            public List<List<TagAssignment>> tagAll(List<TaggingRequest> requests) {
                batchSizes.add(requests.size());
                return Tagger.super.tagAll(requests);
            }
        };
        List<TaggedContent> out = new ArrayList<>();
        try (TaggingWorker worker = new TaggingWorker(new ContentTagging(TAXONOMY, tagger, 3), new TaggedTextCache(10), 8,
                e -> new TaggedContent(e, List.of(), "fallback"), "test-worker")) {
            worker.process(List.of(
                    new TaggingWorker.Job(event("c1", 1, "kafka", List.of()), out::add),
                    new TaggingWorker.Job(event("c2", 1, "flink", List.of()), out::add)));
            // c1 again with the same text but a new user tag: answered from the cache.
            worker.process(List.of(new TaggingWorker.Job(event("c1", 2, "kafka", List.of("mine")), out::add)));
            worker.process(List.of(new TaggingWorker.Job(event("c1", 3, "kafka streams", List.of()), out::add)));
        }
        assertThat(batchSizes).containsExactly(2, 1);
        assertThat(out).map(t -> t.event().contentId() + "@" + t.event().version() + " "
                        + t.tags().stream().map(TagAssignment::tag).toList())
                .containsExactly("c1@1 [kafka]", "c2@1 [flink]", "c1@2 [kafka, mine]", "c1@3 [kafka streams]");
    }

    @Test
    void aFailingTaggerGivesEveryEventOfTheBatchTheFallback() throws Exception {
        Tagger failing = request -> {
            throw new IllegalStateException("model crashed");
        };
        List<TaggedContent> out = new ArrayList<>();
        try (TaggingWorker worker = new TaggingWorker(new ContentTagging(TAXONOMY, failing, 3), new TaggedTextCache(10), 8,
                e -> new TaggedContent(e, List.of(), "fallback"), "test-worker")) {
            worker.process(List.of(new TaggingWorker.Job(event("c1", 1, "a", List.of()), out::add),
                    new TaggingWorker.Job(event("c2", 1, "b", List.of()), out::add)));
        }
        assertThat(out).map(TaggedContent::taxonomyVersion).containsExactly("fallback", "fallback");
    }

    @Test
    void aWorkerThatDiesFailsWhatItHeldAndEverythingSubmittedAfter() throws Exception {
        Tagger dying = request -> {
            throw new OutOfMemoryError("loading the model");
        };
        try (TaggingWorker worker = new TaggingWorker(new ContentTagging(TAXONOMY, dying, 3), new TaggedTextCache(10), 8,
                e -> new TaggedContent(e, List.of(), "fallback"), "test-worker")) {
            CompletableFuture<Throwable> first = new CompletableFuture<>();
            worker.submit(event("c1", 1, "a", List.of()), tagged -> first.complete(null), first::complete);
            assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(OutOfMemoryError.class).hasMessage("loading the model");

            CompletableFuture<Throwable> later = new CompletableFuture<>();
            worker.submit(event("c2", 1, "b", List.of()), tagged -> later.complete(null), later::complete);
            assertThat(later.get(10, TimeUnit.SECONDS)).isInstanceOf(OutOfMemoryError.class);
        }
    }
}
