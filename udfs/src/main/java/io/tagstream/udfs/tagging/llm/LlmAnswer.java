package io.tagstream.udfs.tagging.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.FieldLimits;
import io.tagstream.schemas.InvalidRecordException;
import io.tagstream.schemas.JsonFields;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's answer, validated against the schema the prompt asks for:
 * {@code {"tags": [{"tag": string, "confidence": number in [0, 1], "reason": string, "new": boolean?}]}}.
 * A fenced code block around the JSON is tolerated; anything else invalid is an error.
 */
public record LlmAnswer(List<Proposal> tags) {

    /** Longer reasons are cut: a reason explains a tag, and travels with every event of it. */
    public static final int MAX_REASON_CHARS = 1000;

    public record Proposal(String tag, double confidence, String reason, boolean proposedAsNew) {}

    public static LlmAnswer parse(String text) throws InvalidAnswerException {
        if (text == null || text.isBlank()) {
            throw new InvalidAnswerException("empty answer");
        }
        String json = text.strip();
        if (json.startsWith("```")) {
            json = json.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new InvalidAnswerException("not JSON: " + Json.describe(e));
        }
        if (root == null || !root.isObject() || !root.path("tags").isArray()) {
            throw new InvalidAnswerException("expected an object with an array 'tags'");
        }
        List<Proposal> proposals = new ArrayList<>();
        int i = 0;
        for (JsonNode tag : root.get("tags")) {
            String where = "tags[" + i++ + "]";
            if (!tag.path("tag").isTextual() || tag.get("tag").asText().isBlank()) {
                throw new InvalidAnswerException(where + ".tag must be a non-blank string");
            }
            if (!tag.path("confidence").isNumber()) {
                throw new InvalidAnswerException(where + ".confidence must be a number");
            }
            double confidence = tag.get("confidence").asDouble();
            if (!(confidence >= 0 && confidence <= 1)) {
                throw new InvalidAnswerException(where + ".confidence must be in [0, 1], was " + confidence);
            }
            if (!tag.path("reason").isTextual() || tag.get("reason").asText().isBlank()) {
                throw new InvalidAnswerException(where + ".reason must be a non-blank string");
            }
            if (tag.has("new") && !tag.get("new").isBoolean()) {
                throw new InvalidAnswerException(where + ".new must be true or false");
            }
            proposals.add(new Proposal(tagName(tag.get("tag").asText().strip(), where), confidence,
                    reason(tag.get("reason").asText().strip()), tag.path("new").asBoolean(false)));
        }
        return new LlmAnswer(proposals);
    }

    /** A proposed tag is held to the input contract's rules for tags: it becomes keys and indexed columns. */
    private static String tagName(String tag, String where) throws InvalidAnswerException {
        try {
            return JsonFields.name(tag, where + ".tag", FieldLimits.TAG_BYTES);
        } catch (InvalidRecordException e) {
            throw new InvalidAnswerException(e.getMessage());
        }
    }

    /** A reason is free text for a person: storable, and short enough for every event that carries it. */
    private static String reason(String text) {
        String reason = JsonFields.storable(text);
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    /** The model's answer does not follow the schema. */
    public static final class InvalidAnswerException extends Exception {
        public InvalidAnswerException(String message) {
            super(message);
        }
    }
}
