package io.tagstream.udfs.flink;

import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagKey;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.TagStat;
import io.tagstream.udfs.weights.TagWeighting;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

/**
 * Holds a million tags in RocksDB keyed state and measures {@link TagWeightFunction} against two
 * baselines in the same run, on one thread (so the rates are per core):
 *
 * <ul>
 *   <li>a keyed function that does nothing (the harness, keying and record handling), and
 *   <li>a function that reads and writes one {@code ValueState<Long>} per event (the least any
 *       keyed state update costs in RocksDB).
 * </ul>
 *
 * Rates are per CPU-second of the whole process (RocksDB's background threads included), so they
 * are per core and little disturbed by other processes on the machine; wall-clock rates beside them.
 *
 * <p>Each runs the real operator on the real RocksDB state backend (incremental checkpoints to a
 * local file system, timers in RocksDB, 256 MB of memory as a task slot would get): a load phase
 * that creates every tag, a checkpoint, an update phase of uses, removals and feedback on tags
 * picked with Zipf's law (tag k with probability ~ 1/k, as tag use is), and a second, incremental
 * checkpoint. Processing time moves on every 250 000 events so that
 * reports go out as in a running job.
 *
 * <p>Run: {@code mvn -B -o -q -pl udfs -am -Pweights-benchmark test-compile} (see
 * {@code docs/weights.md}); arguments {@code [tags] [updates]} through {@code -Dbenchmark.args}.
 */
public final class TagWeightBenchmark {
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final int TENANTS = 10;
    private static final int REPORT_EVERY = 250_000;
    private static final long EMIT_INTERVAL = 5_000;
    private static final int WARM_UP = 200_000;

    private final int tags;
    private final int updates;
    private final String[] tenants = new String[TENANTS];
    private final String[] tagNames;
    private final Path work;

    private TagWeightBenchmark(int tags, int updates, Path work) {
        this.tags = tags;
        this.updates = updates;
        this.work = work;
        this.tagNames = new String[tags];
        for (int i = 0; i < TENANTS; i++) {
            tenants[i] = "tenant-" + i;
        }
        for (int i = 0; i < tags; i++) {
            tagNames[i] = String.format("topic::tag-%07d", i);
        }
    }

    public static void main(String[] args) throws Exception {
        int tags = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int updates = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path work = Files.createTempDirectory("tag-weight-benchmark");
        try {
            new TagWeightBenchmark(tags, updates, work).run();
        } finally {
            deleteRecursively(work);
        }
    }

    private void run() throws Exception {
        TagWeighting weighting = new TagWeighting(7 * 24 * 3_600_000L, Map.of(), 24 * 3_600_000L, 0.01);
        Supplier<KeyedProcessFunction<String, TagEvent, TagStat>> weights =
                () -> new TagWeightFunction(weighting, EMIT_INTERVAL, 24 * 3_600_000L);
        System.out.printf("Tag weights in RocksDB: %,d tags in %d tenants, %,d updates, Java %s, %d cores%n%n",
                tags, TENANTS, updates, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        // Warm the JIT on every code path before anything is timed.
        for (Supplier<KeyedProcessFunction<String, TagEvent, TagStat>> f : List.of(NoOp::new, Counter::new, weights)) {
            measure("warm-up", f, Math.min(WARM_UP, tags), Math.min(WARM_UP, updates));
        }

        List<Result> results = List.of(
                measure("no-op keyed function", NoOp::new, tags, updates),
                measure("ValueState<Long> counter", Counter::new, tags, updates),
                measure("TagWeightFunction", weights, tags, updates));

        Result noOp = results.get(0);
        Result counter = results.get(1);
        Result weight = results.get(2);
        System.out.printf("%-26s %16s %16s %14s %14s %10s %10s %14s %16s%n", "function", "load ev/cpu-s",
                "update ev/cpu-s", "load ev/s", "update ev/s", "SST B/tag", "raw B/tag", "checkpoint 1",
                "checkpoint 2 (+)");
        for (Result r : results) {
            System.out.printf("%-26s %,16.0f %,16.0f %,14.0f %,14.0f %10.1f %10.1f %,12d B %,14d B%n", r.name,
                    r.loadRate(), r.updateRate(), r.loadWallRate(), r.updateWallRate(), (double) r.sstBytes / tags,
                    (double) r.savepointBytes / tags, r.checkpoint1Bytes, r.checkpoint2Bytes);
        }
        System.out.printf("%nTagWeightFunction per core (CPU-second): %,.0f updates/s = %.2f x the counter baseline, %.2f x the no-op"
                        + " baseline; %,.0f new tags/s = %.2f x the counter baseline%n",
                weight.updateRate(), weight.updateRate() / counter.updateRate(), weight.updateRate() / noOp.updateRate(),
                weight.loadRate(), weight.loadRate() / counter.loadRate());
        System.out.printf("RocksDB holds %.1f bytes per tag on disk (%.2f x the counter's %.1f), weight and timers"
                        + " included; uncompressed, one version each, the state is %.1f bytes per tag (%.2f x the"
                        + " counter's %.1f); checkpoint 1 (all of it) %,d bytes = %.1f per tag; checkpoint 2 after %,d updates adds %,d bytes"
                        + " (incremental: %.0f%% of checkpoint 1)%n",
                (double) weight.sstBytes / tags, (double) weight.sstBytes / counter.sstBytes,
                (double) counter.sstBytes / tags, (double) weight.savepointBytes / tags,
                (double) weight.savepointBytes / counter.savepointBytes, (double) counter.savepointBytes / tags,
                weight.checkpoint1Bytes, (double) weight.checkpoint1Bytes / tags, updates, weight.checkpoint2Bytes,
                100.0 * weight.checkpoint2Bytes / weight.checkpoint1Bytes);
    }

    private Result measure(String name, Supplier<KeyedProcessFunction<String, TagEvent, TagStat>> function,
            int tagCount, int updateCount) throws Exception {
        Path dir = Files.createTempDirectory(work, "run");
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(true);
        backend.setDbStoragePath(dir.resolve("db").toString());
        backend.getMemoryConfiguration().setFixedMemoryPerSlot("256mb");
        backend.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB);
        Path checkpoints = dir.resolve("checkpoints");
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function.get()), (TagEvent e) -> TagKey.of(e.tenant(), e.tag()), Types.STRING);
        harness.setStateBackend(backend);
        harness.setCheckpointStorage(new FileSystemCheckpointStorage(checkpoints.toUri()));
        try (harness) {
            harness.open();
            Feed feed = new Feed(name, harness);

            Stopwatch load = Stopwatch.start();
            for (int i = 0; i < tagCount; i++) {
                feed.send(event(i, TagAction.ADDED, TagSource.EMBEDDING, confidence(i), T0 + 10L * i));
            }
            load.stop();
            feed.report();
            harness.snapshot(1, feed.processingTime);
            long sstBytes = bytes(dir.resolve("db"), ".sst");
            long checkpoint1 = bytes(checkpoints, "");
            harness.notifyOfCompletedCheckpoint(1);

            SplittableRandom random = new SplittableRandom(42);
            long time = T0 + 10L * tagCount;
            Stopwatch update = Stopwatch.start();
            for (int j = 0; j < updateCount; j++) {
                // Tag use is skewed: N^u for uniform u picks tag k with probability ~ 1/k (Zipf, s = 1).
                int tag = (int) Math.pow(tagCount, random.nextDouble()) - 1;
                int kind = random.nextInt(100);
                feed.send(kind < 70 ? event(tag, TagAction.UPDATED, TagSource.EMBEDDING, confidence(j), time)
                        : kind < 95 ? event(tag, TagAction.REMOVED, TagSource.EMBEDDING, 0.0, time)
                        : event(tag, kind < 98 ? TagAction.CONFIRMED : TagAction.REJECTED, TagSource.USER, 1.0, time));
                time += 5;
            }
            update.stop();
            feed.report();
            harness.snapshot(2, feed.processingTime);
            long checkpoint2 = bytes(checkpoints, "") - checkpoint1;
            // A canonical savepoint writes every key and value once, uncompressed: the state's own size,
            // without the superseded versions RocksDB keeps until it compacts.
            long savepoint = harness.snapshotWithLocalState(3, feed.processingTime,
                    SavepointType.savepoint(SavepointFormatType.CANONICAL)).getJobManagerOwnedState().getStateSize();
            return new Result(name, tagCount, load, updateCount, update, sstBytes, savepoint, checkpoint1, checkpoint2);
        } finally {
            deleteRecursively(dir);
        }
    }

    private TagEvent event(int tag, TagAction action, TagSource source, double confidence, long time) {
        return new TagEvent("e", tenants[tag % TENANTS], "content", 1, 1, tagNames[tag], "topic", action, confidence,
                null, source, null, null, null, null, Instant.ofEpochMilli(time), null);
    }

    private static double confidence(int i) {
        return 0.3 + (i % 700) / 1000.0;
    }

    private static long bytes(Path dir, String suffix) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Sends events and lets processing time move on every {@value #REPORT_EVERY}, so reports go out. */
    private static final class Feed {
        private final KeyedOneInputStreamOperatorTestHarness<String, TagEvent, TagStat> harness;
        private final String name;
        private long processingTime;
        private long sent;
        private long since = System.nanoTime();

        Feed(String name, KeyedOneInputStreamOperatorTestHarness<String, TagEvent, TagStat> harness) throws Exception {
            this.name = name;
            this.harness = harness;
            harness.setProcessingTime(processingTime);
        }

        void send(TagEvent event) throws Exception {
            harness.processElement(event, 0);
            if (++sent % REPORT_EVERY == 0) {
                report();
                long now = System.nanoTime();
                System.err.printf("  %s: %,d events, the last %,d at %,.0f ev/s (wall)%n", name, sent, REPORT_EVERY,
                        REPORT_EVERY / ((now - since) / 1e9));
                since = now;
            }
        }

        /** Fires the due report timers; the reports themselves are dropped. */
        void report() throws Exception {
            harness.setProcessingTime(processingTime += EMIT_INTERVAL);
            harness.getOutput().clear();
        }
    }

    /**
     * Wall-clock time and CPU time of every thread of this process (the caller's, RocksDB's flushes
     * and compactions, GC and JIT) over one phase.
     */
    private static final class Stopwatch {
        private final long wallStart = System.nanoTime();
        private final long cpuStart = processCpuNanos();
        private long wallNanos;
        private long cpuNanos;

        static Stopwatch start() {
            return new Stopwatch();
        }

        void stop() {
            wallNanos = System.nanoTime() - wallStart;
            cpuNanos = processCpuNanos() - cpuStart;
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    /** Rates per CPU-second (per core) and per wall-clock second. */
    private record Result(String name, int loaded, Stopwatch load, int updated, Stopwatch update, long sstBytes,
            long savepointBytes, long checkpoint1Bytes, long checkpoint2Bytes) {
        double loadRate() {
            return loaded / (load.cpuNanos / 1e9);
        }

        double updateRate() {
            return updated / (update.cpuNanos / 1e9);
        }

        double loadWallRate() {
            return loaded / (load.wallNanos / 1e9);
        }

        double updateWallRate() {
            return updated / (update.wallNanos / 1e9);
        }
    }

    /** Baseline: keyed, and nothing else. */
    static final class NoOp extends KeyedProcessFunction<String, TagEvent, TagStat> {
        @Override
        public void processElement(TagEvent event, Context ctx, Collector<TagStat> out) {}
    }

    /** Baseline: one read and one write of a small value per event. */
    static final class Counter extends KeyedProcessFunction<String, TagEvent, TagStat> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(TagEvent event, Context ctx, Collector<TagStat> out) throws Exception {
            Long c = count.value();
            count.update(c == null ? 1 : c + 1);
        }
    }
}
