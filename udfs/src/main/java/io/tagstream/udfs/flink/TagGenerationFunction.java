package io.tagstream.udfs.flink;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.udfs.content.ContentTagging;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.tagging.TaggerFactory;
import io.tagstream.udfs.taxonomy.Taxonomy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** Tags each content event; the tagger is built once per task in {@link #open}. */
public class TagGenerationFunction extends RichMapFunction<ContentEvent, TaggedContent> {
    private static final long serialVersionUID = 1L;

    private final Taxonomy taxonomy;
    private final TaggerFactory taggerFactory;
    private final int topK;
    private transient ContentTagging tagging;
    private transient Histogram latencyMicros;
    private transient Histogram tagsPerItem;

    public TagGenerationFunction(Taxonomy taxonomy, TaggerFactory taggerFactory, int topK) {
        this.taxonomy = taxonomy;
        this.taggerFactory = taggerFactory;
        this.topK = topK;
    }

    @Override
    public void open(OpenContext openContext) {
        tagging = new ContentTagging(taxonomy, taggerFactory.create(taxonomy), topK);
        latencyMicros = getRuntimeContext().getMetricGroup()
                .histogram("tagGenerationLatencyMicros", new DescriptiveStatisticsHistogram(1000));
        tagsPerItem = getRuntimeContext().getMetricGroup()
                .histogram("tagsPerItem", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public TaggedContent map(ContentEvent event) {
        long start = System.nanoTime();
        TaggedContent tagged = tagging.tag(event);
        latencyMicros.update((System.nanoTime() - start) / 1_000);
        tagsPerItem.update(tagged.tags().size());
        return tagged;
    }
}
