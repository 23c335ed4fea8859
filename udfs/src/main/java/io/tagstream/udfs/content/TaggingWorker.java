package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.TaggingRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Tags content events on a thread of its own, in micro-batches: it takes whatever has queued up
 * (at most {@code batchSize}) and tags it in one call, so a busy stream gets full batches for
 * the embedding model and a quiet one is tagged at once, without waiting for a batch to fill.
 * Unchanged texts are answered from the {@link TaggedTextCache}. When tagging fails, each
 * event of the batch gets {@code onFailure}'s result instead, so nothing is lost.
 */
public final class TaggingWorker implements AutoCloseable {
    /** One event to tag, what to do with its tags, and what to do if the worker itself dies. */
    public record Job(ContentEvent event, Consumer<TaggedContent> done, Consumer<Throwable> failed) {
        /** A job whose caller has no use for the worker's death (benchmarks, tests of {@link #process}). */
        public Job(ContentEvent event, Consumer<TaggedContent> done) {
            this(event, done, error -> {});
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TaggingWorker.class);

    private final ContentTagging tagging;
    private final TaggedTextCache cache;
    private final int batchSize;
    private final Function<ContentEvent, TaggedContent> onFailure;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable fatal;
    private volatile Consumer<Stats> statsListener = s -> {};

    /** What one batch did, for metrics. */
    public record Stats(int batchSize, int cacheHits, long nanos) {}

    public TaggingWorker(ContentTagging tagging, TaggedTextCache cache, int batchSize,
            Function<ContentEvent, TaggedContent> onFailure, String name) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
        }
        this.tagging = tagging;
        this.cache = cache;
        this.batchSize = batchSize;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void onStats(Consumer<Stats> listener) {
        this.statsListener = listener;
    }

    /** Queues an event; {@code failed} hears of it if the worker has died or dies before tagging it. */
    public void submit(ContentEvent event, Consumer<TaggedContent> done, Consumer<Throwable> failed) {
        Job job = new Job(event, done, failed);
        queue.add(job);
        Throwable dead = fatal;
        if (dead != null && queue.remove(job)) {
            failed.accept(dead);
        }
    }

    private void run() {
        List<Job> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, batchSize - 1);
            try {
                process(batch);
            } catch (Throwable e) {
                // An Error (out of memory loading a model, say) or a bug outside the tagger: this
                // thread cannot go on. Every job it holds fails, so the task fails and Flink
                // restarts it, rather than the job waiting on a thread that is gone.
                fatal = e;
                LOG.error("tagging worker {} died; failing its {} queued events", thread.getName(),
                        batch.size() + queue.size(), e);
                queue.drainTo(batch);
                batch.forEach(job -> job.failed().accept(e));
                return;
            }
            batch.clear();
        }
    }

    /** Tags one batch; public so that benchmarks measure exactly what the job runs. */
    public void process(List<Job> batch) {
        long start = System.nanoTime();
        List<Job> misses = new ArrayList<>();
        int hits = 0;
        for (Job job : batch) {
            ContentEvent event = job.event();
            if (event.op() == ContentOp.DELETE) {
                job.done().accept(tagging.assemble(event, List.of()));
                continue;
            }
            List<TagAssignment> cached = cache.get(event);
            if (cached != null) {
                hits++;
                job.done().accept(tagging.assemble(event, cached));
            } else {
                misses.add(job);
            }
        }
        if (!misses.isEmpty()) {
            List<TaggingRequest> requests = new ArrayList<>();
            misses.forEach(j -> requests.add(ContentTagging.request(j.event())));
            List<List<TagAssignment>> proposals = null;
            try {
                proposals = tagging.tagger().tagAll(requests);
            } catch (RuntimeException e) {
                LOG.warn("tagging a batch of {} failed; using the fallback for each: {}", misses.size(), e.toString());
            }
            for (int i = 0; i < misses.size(); i++) {
                ContentEvent event = misses.get(i).event();
                if (proposals == null) {
                    misses.get(i).done().accept(onFailure.apply(event));
                } else {
                    cache.put(event, proposals.get(i));
                    misses.get(i).done().accept(tagging.assemble(event, proposals.get(i)));
                }
            }
        }
        statsListener.accept(new Stats(batch.size(), hits, System.nanoTime() - start));
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        tagging.tagger().close();
    }
}
