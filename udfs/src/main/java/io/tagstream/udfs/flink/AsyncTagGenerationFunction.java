package io.tagstream.udfs.flink;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.udfs.content.ContentTagging;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.content.TaggedTextCache;
import io.tagstream.udfs.content.TaggingWorker;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.TaggerFactory;
import io.tagstream.udfs.tagging.rules.RuleTagger;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Tag generation as asynchronous I/O: events go to a {@link TaggingWorker} (one thread per
 * subtask, micro-batches, a cache of unchanged texts) and come back through the result future,
 * so a slow model or a remote LLM never blocks the task thread. Used with
 * {@code AsyncDataStream.orderedWait}: per-content order is kept for the keyed state after it.
 * When an event times out, it is tagged by the taxonomy's labels, aliases and rules alone, and
 * the tags say so.
 */
public class AsyncTagGenerationFunction extends RichAsyncFunction<ContentEvent, TaggedContent> {
    private static final long serialVersionUID = 1L;

    private final Taxonomy taxonomy;
    private final TaggerFactory taggerFactory;
    private final int topK;
    private final int batchSize;
    private final int cacheSize;
    private transient TaggingWorker worker;
    private transient ContentTagging fallback;
    private transient Histogram latencyMicros;
    private transient Histogram tagsPerItem;
    private transient Counter timeouts;

    public AsyncTagGenerationFunction(Taxonomy taxonomy, TaggerFactory taggerFactory, int topK, int batchSize, int cacheSize) {
        this.taxonomy = taxonomy;
        this.taggerFactory = taggerFactory;
        this.topK = topK;
        this.batchSize = batchSize;
        this.cacheSize = cacheSize;
    }

    @Override
    public void open(OpenContext openContext) {
        fallback = new ContentTagging(taxonomy, RuleTagger.withKeywords().create(taxonomy), topK);
        var metrics = getRuntimeContext().getMetricGroup();
        latencyMicros = metrics.histogram("tagGenerationLatencyMicros", new DescriptiveStatisticsHistogram(1000));
        tagsPerItem = metrics.histogram("tagsPerItem", new DescriptiveStatisticsHistogram(1000));
        Histogram batchSizes = metrics.histogram("tagBatchSize", new DescriptiveStatisticsHistogram(1000));
        Counter cacheHits = metrics.counter("unchangedTextCacheHits");
        timeouts = metrics.counter("tagGenerationTimeouts");
        worker = new TaggingWorker(
                new ContentTagging(taxonomy, taggerFactory.create(taxonomy, new LlmMetrics(metrics)), topK),
                new TaggedTextCache(cacheSize),
                batchSize,
                event -> fellBack(event, "tagging failed"),
                "tag-generation-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        worker.onStats(stats -> {
            batchSizes.update(stats.batchSize());
            cacheHits.inc(stats.cacheHits());
        });
    }

    @Override
    public void asyncInvoke(ContentEvent event, ResultFuture<TaggedContent> result) {
        long start = System.nanoTime();
        worker.submit(event, tagged -> {
            latencyMicros.update((System.nanoTime() - start) / 1_000);
            tagsPerItem.update(tagged.tags().size());
            result.complete(List.of(tagged));
        }, result::completeExceptionally);
    }

    @Override
    public void timeout(ContentEvent event, ResultFuture<TaggedContent> result) {
        timeouts.inc();
        result.complete(List.of(fellBack(event, "tagging timed out")));
    }

    /** The rules' tags, marked as a fallback in model and reason. */
    private TaggedContent fellBack(ContentEvent event, String why) {
        TaggedContent ruled = fallback.tag(event);
        List<TagAssignment> marked = new ArrayList<>();
        for (TagAssignment tag : ruled.tags()) {
            marked.add(tag.model() == null ? tag : new TagAssignment(tag.tag(), tag.dimension(), tag.confidence(),
                    tag.source(), tag.model() + " (fallback: " + why + ")", tag.promptVersion(), tag.reason()));
        }
        return new TaggedContent(ruled.event(), marked, ruled.taxonomyVersion());
    }

    @Override
    public void close() throws Exception {
        if (worker != null) {
            worker.close();
        }
    }
}
