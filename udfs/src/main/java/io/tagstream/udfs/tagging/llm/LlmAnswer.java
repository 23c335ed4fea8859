package io.tagstream.udfs.tagging.llm;

import com.fasterxml.jackson.databind.JsonNode;
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
            proposals.add(new Proposal(tag.get("tag").asText().strip(), confidence, tag.get("reason").asText().strip(),
                    tag.path("new").asBoolean(false)));
        }
        return new LlmAnswer(proposals);
    }

    /** The model's answer does not follow the schema. */
    public static final class InvalidAnswerException extends Exception {
        public InvalidAnswerException(String message) {
            super(message);
        }
    }
}
