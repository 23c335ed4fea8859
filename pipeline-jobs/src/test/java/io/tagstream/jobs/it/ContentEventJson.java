package io.tagstream.jobs.it;

import io.tagstream.schemas.json.Json;
import java.util.HashMap;
import java.util.Map;

/** Content events as producers write them to {@code content.events}, and feedback to {@code tag.feedback}. */
final class ContentEventJson {
    private ContentEventJson() {}

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

    static String feedback(String eventId, String tenant, String contentId, String tag, String action, String at) {
        return Json.toString(Map.of("event_id", eventId, "tenant", tenant, "content_id", contentId, "tag", tag,
                "action", action, "actor", "ann", "occurred_at", at));
    }

    static String delete(String eventId, String tenant, String contentId, long version) {
        return Json.toString(Map.of("event_id", eventId, "tenant", tenant, "content_id", contentId, "op", "DELETE",
                "version", version, "occurred_at", "2026-11-01T11:00:00Z"));
    }
}
