package io.tagstream.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentKey;
import io.tagstream.udfs.content.ContentTagging;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.tagging.embedding.EmbeddingModels;
import io.tagstream.udfs.tagging.embedding.EmbeddingTaggerSettings;
import io.tagstream.schemas.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./tagstream bench}: the tagging job's throughput and latency on the local stack, beside
 * its ceiling measured in the same run on the same input.
 *
 * <ol>
 *   <li>pass-through: Kafka → Flink → Kafka, bytes in and out, the same exactly-once sink, the
 *       same checkpoint interval and parallelism: what the plumbing allows;
 *   <li>rules: the whole {@link TaggingJob} (knowledge graph and keyword rules, RocksDB state,
 *       Kafka, PostgreSQL and Elasticsearch sinks, tag weights) on the same input;
 *   <li>embedding: the raw embedding model's {@code embedAll} on the first
 *       {@code --embedding-events} texts (the ceiling for the model), then the whole job with the
 *       embedding tagger on the same contents;
 *   <li>latency: the rules job again, fed at half the rate it reached, each content stamped with
 *       its event time as it is sent: event time → the tag event appended to Kafka (the broker's
 *       LogAppendTime) and → visible to a read-committed consumer (after the checkpoint commits).
 * </ol>
 *
 * Each job reads its input from the beginning of a fresh topic filled before it starts, and is
 * done when its source has committed the end offsets (so every output is committed too); its
 * rate is the input count over the span of its outputs' append times, so start-up is not
 * counted. Everything runs in a local Flink (a MiniCluster in this JVM) against the stack's
 * Kafka, PostgreSQL and Elasticsearch, in a database, index prefix and topics of its own that are
 * deleted at the end. The last line is {@code rules_vs_passthrough=0.xx embedding_vs_model=0.xx
 * p99_ms=NN}.
 */
public final class PipelineBenchmark {
    private static final String SAMPLE = "samples/sample-content.jsonl";

    private final TagstreamConfig base;
    private final String id = "bench_" + UUID.randomUUID().toString().substring(0, 8);
    private final int parallelism;
    private final Admin admin;
    private final List<String> topics = new ArrayList<>();
    private final Path checkpoints;

    private PipelineBenchmark(TagstreamConfig base, int parallelism) {
        this.base = base;
        this.parallelism = parallelism;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, base.get("kafka.bootstrap-servers"));
        this.admin = Admin.create(props);
        try {
            this.checkpoints = java.nio.file.Files.createTempDirectory("tagstream-bench-checkpoints");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Arguments: {@code [--config FILE] [--events N] [--embedding-events N] [--latency-seconds S]
     * [--parallelism P] [--checkpoint-ms MS]}.
     */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig loaded = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        TagstreamConfig config = loaded.with(Map.of(
                "checkpoint.interval-ms", params.get("checkpoint-ms", "1000"),
                "job.parallelism", params.get("parallelism", "2")));
        int events = params.getInt("events", 100_000);
        int embeddingEvents = params.getInt("embedding-events", 2_000);
        int latencySeconds = params.getInt("latency-seconds", 10);
        PipelineBenchmark bench = new PipelineBenchmark(config, config.getInt("job.parallelism"));
        try {
            bench.run(events, embeddingEvents, latencySeconds);
        } finally {
            bench.cleanUp();
        }
    }

    private void run(int events, int embeddingEvents, int latencySeconds) throws Exception {
        List<byte[]> input = contents(events, Instant.parse("2026-11-01T00:00:00Z"), 0);
        System.out.printf(Locale.ROOT, "input: %d content events (the %d samples of %s, new ids), parallelism %d, "
                + "checkpoint every %s ms, %d cores%n", events, templates().size(), SAMPLE, parallelism,
                base.get("checkpoint.interval-ms"), Runtime.getRuntime().availableProcessors());

        // The model's ceiling, first while this JVM runs nothing else, and again right after the
        // embedding job; their mean is the baseline (the model's rate drifts most on shared cores).
        int embedded = Math.min(events, embeddingEvents);
        double before = rawModel(embedded);

        String in = topic("in");
        produce(in, input);
        Pass passThrough = passThrough(in, topic("passthrough"));
        report("pass-through (Kafka → Flink → Kafka)", events, passThrough);

        Pass rules = tagging(jobConfig("rules", "rules", in));
        report("tagstream, rules / knowledge graph", events, rules);

        // The job with the embedding tagger on the texts the model was measured on: the model is
        // most of the cost, so fewer events suffice.
        String embeddingIn = topic("embedding-in");
        produce(embeddingIn, input.subList(0, embedded));
        Pass embedding = tagging(jobConfig("embedding", "embedding", embeddingIn));
        double after = rawModel(embedded);
        double model = (before + after) / 2;
        System.out.printf(Locale.ROOT, "%-40s %9.1f events/s  (embedAll over the same %d texts, batches of %d, "
                        + "%d threads like the job's %d tagging workers; %.1f first, %.1f after the job)%n",
                "raw embedding model:", model, embedded, base.getInt("tagging.batch-size"), parallelism, parallelism,
                before, after);
        System.out.printf(Locale.ROOT, "%-40s %9.1f events/s  (%d input events, %d output records in %d ms)%n",
                "tagstream, embedding tagger:", embedding.eventsPerSecond(embedded), embedded, embedding.records(),
                embedding.spanMillis());

        double rate = rules.eventsPerSecond(events) / 2;
        Latency latency = latency(jobConfig("latency", "rules", topic("latency-in")), rate, latencySeconds);
        System.out.printf(Locale.ROOT, "latency at %.0f events/s (half the rules rate), %d tagged contents: "
                        + "event time → appended to Kafka p50 %d ms, p95 %d ms, p99 %d ms; "
                        + "→ visible (read committed) p50 %d ms, p95 %d ms, p99 %d ms%n",
                rate, latency.contents(), latency.appended(50), latency.appended(95), latency.appended(99),
                latency.visible(50), latency.visible(95), latency.visible(99));

        System.out.printf(Locale.ROOT, "rules_vs_passthrough=%.2f embedding_vs_model=%.2f p99_ms=%d%n",
                rules.eventsPerSecond(events) / passThrough.eventsPerSecond(events),
                embedding.eventsPerSecond(embedded) / model, latency.appended(99));
    }

    /**
     * The raw model's rate on the texts the job would embed: each text with the model the
     * embedding tagger picks for it, in batches of the job's size, from as many threads as the
     * job has tagging workers (one per parallel instance), after one warm-up pass.
     */
    private double rawModel(int count) throws Exception {
        EmbeddingTaggerSettings settings = Taggers.embeddingSettings(base);
        int batch = base.getInt("tagging.batch-size");
        List<Map<String, List<String>>> perWorker = new ArrayList<>();
        for (int w = 0; w < parallelism; w++) {
            perWorker.add(new TreeMap<>());
        }
        List<ObjectNode> templates = templates();
        for (int i = 0; i < count; i++) {
            ContentEvent event = Json.mapper().treeToValue(content(templates.get(i % templates.size()), i, Instant.EPOCH),
                    ContentEvent.class);
            TaggingRequest request = ContentTagging.request(event);
            perWorker.get(i % parallelism)
                    .computeIfAbsent(settings.modelFor(request.lang(), request.text()), m -> new ArrayList<>())
                    .add(request.text());
        }
        perWorker.get(0).forEach((model, texts) -> EmbeddingModels.embedAll(model, texts.subList(0, Math.min(texts.size(), batch))));
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(parallelism);
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (Map<String, List<String>> byModel : perWorker) {
                done.add(workers.submit(() -> byModel.forEach((model, texts) -> {
                    for (int from = 0; from < texts.size(); from += batch) {
                        EmbeddingModels.embedAll(model, texts.subList(from, Math.min(texts.size(), from + batch)));
                    }
                })));
            }
            for (java.util.concurrent.Future<?> worker : done) {
                worker.get();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            workers.shutdown();
        }
    }

    // --- the jobs ------------------------------------------------------------------------------

    private Pass passThrough(String in, String out) throws Exception {
        StreamExecutionEnvironment env = environment();
        // The same checkpoints as the tagging job: its exactly-once sink commits on them.
        env.enableCheckpointing(base.getLong("checkpoint.interval-ms"), org.apache.flink.streaming.api.CheckpointingMode.EXACTLY_ONCE);
        String group = id + "-passthrough";
        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(base.get("kafka.bootstrap-servers"))
                .setTopics(in)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .build();
        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, base.get("kafka.transaction-timeout-ms"));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "content events")
                .uid("bench-passthrough-source")
                .sinkTo(KafkaSink.<String>builder()
                        .setBootstrapServers(base.get("kafka.bootstrap-servers"))
                        .setRecordSerializer(KafkaRecordSerializationSchema.builder()
                                .setTopic(out)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(group)
                        .setKafkaProducerConfig(producer)
                        .build())
                .uid("bench-passthrough-sink")
                .name("pass-through");
        return runToEnd(env, "bench pass-through", in, group, out);
    }

    private Pass tagging(TagstreamConfig config) throws Exception {
        StreamExecutionEnvironment env = environment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, Taxonomies.fromFileOrBundled(config));
        return runToEnd(env, "bench tagging", config.get("topic.content-events"), config.get("kafka.group-id"),
                config.get("topic.tag-events"));
    }

    private Latency latency(TagstreamConfig config, double rate, int seconds) throws Exception {
        StreamExecutionEnvironment env = environment();
        TaggingJob.configure(env, config);
        TaggingJob.build(env, config, Taxonomies.fromFileOrBundled(config));
        String in = config.get("topic.content-events");
        String out = config.get("topic.tag-events");
        int count = (int) Math.max(1, rate * seconds);
        JobClient job = env.executeAsync("bench latency");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(out)) {
            // The job runs and its source reads before the first content is sent.
            produce(in, contents(1, Instant.now(), 2_000_000));
            Map<String, Long> sent = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, Long> appended = new HashMap<>();
            Map<String, Long> visible = new HashMap<>();
            drain(consumer, sent, appended, visible, 1, Duration.ofMinutes(3));
            appended.clear();
            visible.clear();
            // Read while sending: a content is visible when the reader first sees it, so the reader
            // must not wait for the last one to be sent (it did, and every content then looked
            // visible only once the sending ended). It reads keys and timestamps only, to take
            // little of the cores the job runs on.
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    produceAtRate(in, count, rate, sent);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            drain(consumer, sent, appended, visible, count, Duration.ofMinutes(3));
            sending.join();
            return new Latency(appended.size(), sorted(appended.values()), sorted(visible.values()));
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    private StreamExecutionEnvironment environment() throws java.io.IOException {
        Configuration flink = new Configuration();
        flink.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        // The managed memory (RocksDB's write buffers and block cache) of local-cluster's 2 GB
        // TaskManager, not the MiniCluster's 128 MB default, under which RocksDB flushes a tiny
        // memtable on nearly every write.
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("640m"));
        // RocksDB's incremental checkpoints go to files, as on the cluster, not into the JobManager's memory.
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, flink);
    }

    /** Runs a job until its source committed the end of {@code in}; the outputs' append times give the rate. */
    private Pass runToEnd(StreamExecutionEnvironment env, String name, String in, String group, String out) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(in);
        JobClient job = env.executeAsync(name);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try {
            while (!committedAll(group, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not finish its input within 10 minutes");
                }
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException(name + " ended early: " + job.getJobStatus().get());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(out)) {
            Map<TopicPartition, Long> outEnd = endOffsets(out);
            while (!caughtUp(consumer, outEnd)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                    records++;
                }
            }
        }
        return new Pass(records, Math.max(1, last - first));
    }

    // --- input ---------------------------------------------------------------------------------

    /** The sample contents, cycled under new ids numbered from {@code offset}, all at time {@code at}. */
    private static List<byte[]> contents(int count, Instant at, int offset) throws Exception {
        List<ObjectNode> templates = templates();
        List<byte[]> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(Json.toBytes(content(templates.get(i % templates.size()), offset + i, at)));
        }
        return records;
    }

    private static ObjectNode content(ObjectNode template, int i, Instant at) {
        ObjectNode event = template.deepCopy();
        event.put("event_id", "bench-" + i);
        event.put("content_id", "bench-" + i);
        event.put("version", 1);
        event.put("occurred_at", at.toString());
        return event;
    }

    private static List<ObjectNode> templates() throws Exception {
        List<ObjectNode> templates = new ArrayList<>();
        try (InputStream in = PipelineBenchmark.class.getClassLoader().getResourceAsStream(SAMPLE);
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                // The sample holds some deliberately broken records for the demo's dead letters: skipped.
                try {
                    JsonNode node = Json.mapper().readTree(line);
                    if (node.path("op").asText().equals("UPSERT") && node.path("tenant").isTextual()
                            && node.path("content_id").isTextual()) {
                        templates.add((ObjectNode) node);
                    }
                } catch (java.io.IOException notJson) {
                    continue;
                }
            }
        }
        return templates;
    }

    private void produce(String topic, List<byte[]> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (byte[] record : records) {
                producer.send(new ProducerRecord<>(topic, key(record), record));
            }
            producer.flush();
        }
    }

    /** Sends {@code count} contents at {@code rate} per second, each stamped with the time it is sent. */
    private void produceAtRate(String topic, int count, double rate, Map<String, Long> sent) throws Exception {
        List<ObjectNode> templates = templates();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Instant now = Instant.now();
                ObjectNode content = content(templates.get(i % templates.size()), 1_000_000 + i, now);
                String key = contentKey(content);
                sent.put(key, now.toEpochMilli());
                producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), Json.toBytes(content)));
            }
            producer.flush();
        }
    }

    private static byte[] key(byte[] record) {
        try {
            return contentKey(Json.mapper().readTree(record)).getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Kafka key of a content event, as the job keys its tag events. */
    private static String contentKey(JsonNode content) {
        return ContentKey.of(content.get("tenant").asText(), content.get("content_id").asText());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, base.get("kafka.bootstrap-servers"));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    // --- output --------------------------------------------------------------------------------

    /**
     * Reads tag events until {@code contents} contents have one, or none came for 5 s (a content
     * that no tag fits has no tag event), noting per content key the time from its sending
     * ({@code sent}) to its first tag event's append and to the reader seeing it. A content not in
     * {@code sent} (the warm-up's) counts from its append time.
     */
    private static void drain(KafkaConsumer<byte[], byte[]> consumer, Map<String, Long> sent, Map<String, Long> appended,
            Map<String, Long> visible, int contents, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = System.nanoTime();
        while (appended.size() < contents && System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(5)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + appended.size() + " of " + contents + " contents were tagged in time");
            }
            var records = consumer.poll(Duration.ofMillis(100));
            if (!records.isEmpty() || appended.isEmpty()) {
                quietSince = System.nanoTime();
            }
            long seen = System.currentTimeMillis();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                String content = new String(record.key(), StandardCharsets.UTF_8);
                long sentAt = sent.getOrDefault(content, record.timestamp());
                appended.putIfAbsent(content, record.timestamp() - sentAt);
                visible.putIfAbsent(content, seen - sentAt);
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, base.get("kafka.bootstrap-servers"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, id + "-reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        if (consumer.assignment().isEmpty()) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (var partition : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
            request.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    private boolean committedAll(String group, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            OffsetAndMetadata offset = committed.get(e.getKey());
            if (offset == null || offset.offset() < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    // --- set-up and clean-up -------------------------------------------------------------------

    /** A topic of this run whose records carry the broker's append time, so rates and latencies come from the broker's clock. */
    private String topic(String name) throws Exception {
        String topic = id + "." + name;
        admin.createTopics(List.of(new NewTopic(topic, base.getInt("topic.partitions"), (short) 1)
                .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
        topics.add(topic);
        return topic;
    }

    /** The tagging job's configuration for one run: its own topics, consumer group, database and index prefix. */
    private TagstreamConfig jobConfig(String run, String tagger, String in) throws Exception {
        String name = id + "_" + run;
        try (Connection c = base.postgres().open(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        Map<String, String> values = new HashMap<>();
        values.put("tagging.tagger", tagger);
        values.put("kafka.group-id", name);
        values.put("kafka.transactional-id-prefix", name);
        values.put("topic.content-events", in);
        values.put("topic.tag-events", topic(run + "-tag-events"));
        for (String other : new String[] {"feedback", "taxonomy-commands", "tag-stats", "dead-letters"}) {
            values.put("topic." + other, topic(run + "-" + other));
        }
        String url = base.get("postgres.url");
        values.put("postgres.url", url.substring(0, url.lastIndexOf('/') + 1) + name);
        values.put("elasticsearch.index-prefix", name.replace('_', '-') + "-");
        TagstreamConfig config = base.with(values);
        StackSetup.run(config, line -> {});
        return config;
    }

    private void cleanUp() throws Exception {
        try (var files = java.nio.file.Files.walk(checkpoints)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        try {
            admin.deleteTopics(topics).all().get();
        } finally {
            admin.close();
        }
        try (Connection c = base.postgres().open(); Statement s = c.createStatement()) {
            for (String[] row : io.tagstream.sinks.postgres.SqlRows.query(c,
                    "SELECT datname FROM pg_database WHERE datname LIKE ?", id + "%")) {
                s.execute("DROP DATABASE " + row[0] + " WITH (FORCE)");
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(base.get("elasticsearch.url") + "/" + id.replace('_', '-') + "-*"))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    // --- figures -------------------------------------------------------------------------------

    private static void report(String what, int events, Pass pass) {
        System.out.printf(Locale.ROOT, "%-40s %9.0f events/s  (%d input events, %d output records in %d ms)%n",
                what + ":", pass.eventsPerSecond(events), events, pass.records(), pass.spanMillis());
    }

    private static long[] sorted(java.util.Collection<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return array;
    }

    private record Pass(long records, long spanMillis) {
        double eventsPerSecond(int events) {
            return events * 1000.0 / spanMillis;
        }
    }

    private record Latency(int contents, long[] appendedMillis, long[] visibleMillis) {
        long appended(int percentile) {
            return at(appendedMillis, percentile);
        }

        long visible(int percentile) {
            return at(visibleMillis, percentile);
        }

        private static long at(long[] sorted, int percentile) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
        }
    }
}
