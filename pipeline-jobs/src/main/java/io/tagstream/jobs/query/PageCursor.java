package io.tagstream.jobs.query;

import io.tagstream.jobs.query.TagQueries.Order;
import io.tagstream.jobs.query.TraceViews.ContentWithTag;
import io.tagstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of tag → contents ended: the last row's rank and content id, so that the next page
 * starts right after it (keyset paging: stable while contents are tagged, no offsets to skip).
 * Opaque to callers: base64url of a small JSON object.
 */
record PageCursor(String order, Double confidence, Instant taggedAt, String contentId) {

    static PageCursor after(Order order, ContentWithTag last) {
        return order == Order.CONFIDENCE
                ? new PageCursor(order.name(), last.confidence(), null, last.contentId())
                : new PageCursor(order.name(), null, last.taggedAt(), last.contentId());
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.toBytes(this));
    }

    static PageCursor decode(String cursor, Order order) {
        PageCursor decoded;
        try {
            decoded = Json.fromBytes(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)),
                    PageCursor.class);
        } catch (RuntimeException e) {
            throw QueryException.badRequest("cursor is not one this API returned");
        }
        if (!order.name().equals(decoded.order()) || decoded.contentId() == null
                || (order == Order.CONFIDENCE ? decoded.confidence() == null : decoded.taggedAt() == null)) {
            throw QueryException.badRequest("cursor belongs to another order than '"
                    + order.name().toLowerCase(java.util.Locale.ROOT) + "'");
        }
        return decoded;
    }
}
