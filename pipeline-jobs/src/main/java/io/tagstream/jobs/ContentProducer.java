package io.tagstream.jobs;

import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.json.Json;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code tagstream produce FILE}: sends each line of a JSONL file to {@code content.events} as it
 * is, byte for byte, malformed lines included (the pipeline's dead-letter path is part of what a
 * sample shows). Lines that parse are keyed by tenant and content, so a content's events stay in
 * order.
 */
public final class ContentProducer {
    private ContentProducer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: tagstream produce FILE.jsonl [--config FILE]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        Path configFile = args.length == 3 && args[1].equals("--config") ? Path.of(args[2]) : null;
        TagstreamConfig config = TagstreamConfig.load(configFile, System.getenv());
        System.out.println("produced " + produce(file, config) + " records from " + file + " to "
                + config.get("topic.content-events"));
    }

    public static int produce(Path file, TagstreamConfig config) throws Exception {
        String topic = config.get("topic.content-events");
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = ContractTopics.producer(config, 4 * 1024 * 1024);
                BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                byte[] value = line.getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, keyOf(value), value)).get();
                sent++;
            }
        }
        return sent;
    }

    private static byte[] keyOf(byte[] value) {
        try {
            var node = Json.mapper().readTree(value);
            if (node != null && node.path("tenant").isTextual() && node.path("content_id").isTextual()) {
                return ContentKey.of(node.get("tenant").textValue(), node.get("content_id").textValue())
                        .getBytes(StandardCharsets.UTF_8);
            }
        } catch (java.io.IOException e) {
            // Not JSON: sent without a key, and the job will dead-letter it.
        }
        return null;
    }
}
