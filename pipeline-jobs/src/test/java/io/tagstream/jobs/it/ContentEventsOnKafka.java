package io.tagstream.jobs.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Content events as producers write them to {@code content.events}: JSON, keyed by tenant/content when they parse. */
final class ContentEventsOnKafka {
    private ContentEventsOnKafka() {}

    static String content(String eventId, String tenant, String contentId, Long version, String title, String body) {
        Map<String, Object> event = new HashMap<>();
        event.put("event_id", eventId);
        event.put("tenant", tenant);
        event.put("content_id", contentId);
        event.put("op", "UPSERT");
        if (version != null) {
            event.put("version", version);
        }
        event.put("occurred_at", "2026-11-01T10:00:00Z");
        event.put("title", title);
        event.put("body", body);
        return Json.toString(event);
    }

    static String delete(String eventId, String tenant, String contentId, long version) {
        return Json.toString(Map.of("event_id", eventId, "tenant", tenant, "content_id", contentId, "op", "DELETE",
                "version", version, "occurred_at", "2026-11-01T11:00:00Z"));
    }

    /** Sends the records in order; those that are not JSON go without a key. */
    static void produce(TagstreamConfig config, List<String> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String record : records) {
                byte[] key = null;
                try {
                    JsonNode node = Json.mapper().readTree(record);
                    key = ContentKey.of(node.path("tenant").asText(), node.path("content_id").asText())
                            .getBytes(StandardCharsets.UTF_8);
                } catch (java.io.IOException notJson) {
                    // sent without a key
                }
                producer.send(new ProducerRecord<>(config.get("topic.content-events"), key,
                        record.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }
}
