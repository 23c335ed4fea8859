package io.tagstream.sinks.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A record a store refused for good (a value it cannot hold, a mapping conflict), kept in
 * {@code store_dead_letters} with the store's reason so the job can go on without it. The record
 * is kept as the JSON the sink had, cut to {@link DeadLetter#MAX_RAW_BYTES}; its SHA-256 makes a
 * replayed refusal one row. Tenant and content id are read from the record where it has them, so
 * an erasure finds its dead letters too.
 *
 * @param store {@code postgresql} or {@code elasticsearch}
 * @param target the table or index that refused it
 * @param code the store's own code: a SQLSTATE, an HTTP status and error type
 */
public record StoreDeadLetter(
        String store,
        String target,
        String tenant,
        String contentId,
        String recordId,
        byte[] record,
        int recordSize,
        String error,
        String code) {

    public static StoreDeadLetter of(String store, String target, byte[] recordJson, String error, String code) {
        String tenant = null;
        String contentId = null;
        try {
            JsonNode tree = Json.mapper().readTree(recordJson);
            tenant = text(tree.get("tenant"));
            contentId = text(tree.get("content_id"));
        } catch (IOException | RuntimeException e) {
            // Not JSON: the record is still kept, only not findable by content.
        }
        byte[] kept = recordJson.length > DeadLetter.MAX_RAW_BYTES ? Arrays.copyOf(recordJson, DeadLetter.MAX_RAW_BYTES) : recordJson;
        return new StoreDeadLetter(store, target, tenant, contentId, sha256(recordJson), kept, recordJson.length,
                DeadLetter.storableError(error), code);
    }

    /** The record as JSON, or as its {@code toString()} when it has no JSON form. */
    public static byte[] json(Object record) {
        try {
            return Json.toBytes(record);
        } catch (RuntimeException e) {
            return String.valueOf(record).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? null : node.textValue();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
