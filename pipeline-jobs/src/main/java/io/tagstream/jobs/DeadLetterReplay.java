package io.tagstream.jobs;

import io.tagstream.schemas.ContentEventReader;
import io.tagstream.schemas.FeedbackEventReader;
import io.tagstream.schemas.IngestLimits;
import io.tagstream.schemas.InvalidRecordException;
import io.tagstream.schemas.RecordReader;
import io.tagstream.schemas.TaxonomyCommandReader;
import io.tagstream.sinks.postgres.SqlRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code tagstream dlq list} and {@code tagstream dlq replay [--dry-run] [--force] [--stage S]}:
 * sends dead letters back to the topic they came from, after the producer or the pipeline was
 * fixed. A record is resent only if it now reads as valid (unless {@code --force}); one whose
 * dead letter kept only its first bytes (it was too large) is re-read whole from its Kafka
 * position while the topic still retains it. Each replayed dead letter is marked, so a second
 * run does not send it again; if it fails again, it becomes a new dead letter at its new offset.
 */
public final class DeadLetterReplay {
    /** A replayed record is resent whole, however large it was when it became a dead letter. */
    private static final int REPLAY_BYTES = 16 * 1024 * 1024;

    private final TagstreamConfig config;
    private final Map<String, RecordReader<?>> readers = new HashMap<>();

    DeadLetterReplay(TagstreamConfig config) {
        this.config = config;
        IngestLimits limits = config.ingestLimits();
        readers.put(config.get("topic.content-events"), new ContentEventReader(limits));
        readers.put(config.get("topic.feedback"), new FeedbackEventReader(limits));
        readers.put(config.get("topic.taxonomy-commands"), new TaxonomyCommandReader(limits));
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args.length > 0 ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        DeadLetterReplay replay = new DeadLetterReplay(config);
        String command = args.length > 0 ? args[0] : "list";
        switch (command) {
            case "list" -> replay.list(params.getInt("limit", 50));
            case "replay" -> {
                Summary summary = replay.replay(params.get("stage"), params.has("dry-run"), params.has("force"));
                System.out.println(summary);
            }
            default -> {
                System.err.println("usage: tagstream dlq list [--limit N]");
                System.err.println("       tagstream dlq replay [--dry-run] [--force] [--stage parse|taxonomy]");
                System.exit(2);
            }
        }
    }

    /** Replays every pending dead letter that reads as valid under {@code config}. */
    public static Summary replayWith(TagstreamConfig config) throws Exception {
        return new DeadLetterReplay(config).replay(null, false, false);
    }

    /** What a replay did. */
    public record Summary(int replayed, int stillInvalid, int unavailable, boolean dryRun) {
        @Override
        public String toString() {
            return String.format("%s%d replayed, %d still invalid (left in place), %d no longer available in Kafka",
                    dryRun ? "dry run: " : "", replayed, stillInvalid, unavailable);
        }
    }

    void list(int limit) throws Exception {
        try (Connection c = config.postgres().open()) {
            for (String[] row : SqlRows.query(c, "SELECT id::text, stage, topic || '/' || kafka_partition || '@' || kafka_offset,"
                    + " coalesce(replayed_at::text, '-'), error FROM dead_letters ORDER BY id DESC LIMIT ?", limit)) {
                System.out.printf("#%-6s %-9s %-32s replayed %-26s %s%n", row[0], row[1], row[2], row[3], row[4]);
            }
        }
    }

    public Summary replay(String stage, boolean dryRun, boolean force) throws Exception {
        int replayed = 0;
        int invalid = 0;
        int unavailable = 0;
        try (Connection c = config.postgres().open();
                KafkaProducer<byte[], byte[]> producer = ContractTopics.producer(config, REPLAY_BYTES)) {
            List<Pending> pending = pending(c, stage);
            System.out.printf("%d dead letters to look at%n", pending.size());
            for (Pending p : pending) {
                ConsumerRecord<byte[], byte[]> whole = p.truncated ? original(p) : null;
                byte[] raw = p.truncated ? (whole == null ? null : whole.value()) : p.raw;
                byte[] key = p.truncated ? (whole == null ? null : whole.key()) : p.key;
                if (raw == null) {
                    unavailable++;
                    System.out.printf("  #%d %s/%d@%d: too large for its dead letter and no longer in Kafka%n",
                            p.id, p.topic, p.partition, p.offset);
                    continue;
                }
                String problem = problem(p.topic, raw);
                if (problem != null && !force) {
                    invalid++;
                    System.out.printf("  #%d still invalid: %s%n", p.id, problem);
                    continue;
                }
                if (!dryRun) {
                    producer.send(new ProducerRecord<>(p.topic, key, raw)).get();
                    try (PreparedStatement mark = c.prepareStatement("UPDATE dead_letters SET replayed_at = now() WHERE id = ?")) {
                        mark.setLong(1, p.id);
                        mark.executeUpdate();
                    }
                }
                replayed++;
            }
        }
        return new Summary(replayed, invalid, unavailable, dryRun);
    }

    private String problem(String topic, byte[] raw) {
        RecordReader<?> reader = readers.get(topic);
        if (reader == null) {
            return "unknown topic " + topic;
        }
        try {
            reader.read(raw);
            return null;
        } catch (InvalidRecordException e) {
            return e.getMessage();
        }
    }

    private record Pending(long id, String topic, int partition, long offset, byte[] key, byte[] raw, boolean truncated) {}

    private static List<Pending> pending(Connection c, String stage) throws Exception {
        List<Pending> pending = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, topic, kafka_partition, kafka_offset, record_key, raw,"
                + " raw_truncated FROM dead_letters WHERE replayed_at IS NULL AND (?::text IS NULL OR stage = ?) ORDER BY id")) {
            q.setString(1, stage);
            q.setString(2, stage);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    pending.add(new Pending(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getBytes(5),
                            rs.getBytes(6), rs.getBoolean(7)));
                }
            }
        }
        return pending;
    }

    /** The whole record (key and value) at its original position, if the topic still retains it. */
    private ConsumerRecord<byte[], byte[]> original(Pending p) {
        if (p.partition < 0) {
            return null;
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(p.topic, p.partition);
            consumer.assign(List.of(tp));
            Long earliest = consumer.beginningOffsets(List.of(tp)).get(tp);
            if (earliest == null || earliest > p.offset) {
                return null;
            }
            consumer.seek(tp, p.offset);
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(10)).records(tp)) {
                if (record.offset() == p.offset) {
                    return record;
                }
            }
            return null;
        }
    }
}
