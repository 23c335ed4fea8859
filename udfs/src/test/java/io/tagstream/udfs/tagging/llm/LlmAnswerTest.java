package io.tagstream.udfs.tagging.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LlmAnswerTest {

    @Test
    void readsValidAnswersAlsoInsideACodeFence() throws Exception {
        LlmAnswer answer = LlmAnswer.parse("```json\n{\"tags\": [{\"tag\": \"topic::kafka\", \"confidence\": 0.9, "
                + "\"reason\": \"mentions Kafka\"}, {\"tag\": \"Event mesh\", \"confidence\": 0.4, \"reason\": \"r\", \"new\": true}]}\n```");
        assertThat(answer.tags()).containsExactly(
                new LlmAnswer.Proposal("topic::kafka", 0.9, "mentions Kafka", false),
                new LlmAnswer.Proposal("Event mesh", 0.4, "r", true));
    }

    @Test
    void rejectsAnswersOutsideTheSchema() {
        assertThatThrownBy(() -> LlmAnswer.parse("Sure! Here are your tags"))
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> LlmAnswer.parse("{\"labels\": []}"))
                .hasMessage("expected an object with an array 'tags'");
        assertThatThrownBy(() -> LlmAnswer.parse("{\"tags\": [{\"tag\": \"a\", \"confidence\": 1.5, \"reason\": \"r\"}]}"))
                .hasMessage("tags[0].confidence must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> LlmAnswer.parse("{\"tags\": [{\"tag\": \"a\", \"confidence\": \"high\", \"reason\": \"r\"}]}"))
                .hasMessage("tags[0].confidence must be a number");
        assertThatThrownBy(() -> LlmAnswer.parse("{\"tags\": [{\"tag\": \"a\", \"confidence\": 0.5}]}"))
                .hasMessage("tags[0].reason must be a non-blank string");
    }

    @Test
    void holdsTheModelToTheContractOfTags() {
        assertThatThrownBy(() -> LlmAnswer.parse("{\"tags\": [{\"tag\": \"a\\u0000b\", \"confidence\": 0.5, \"reason\": \"r\"}]}"))
                .hasMessage("field 'tags[0].tag' must not hold control characters, has U+0000 at 1");
        assertThatThrownBy(() -> LlmAnswer.parse("{\"tags\": [{\"tag\": \"" + "x".repeat(300)
                        + "\", \"confidence\": 0.5, \"reason\": \"r\"}]}"))
                .hasMessageStartingWith("field 'tags[0].tag' is 300 bytes in UTF-8, more than 256");
    }

    @Test
    void keepsReasonsStorableAndShort() throws Exception {
        LlmAnswer nul = LlmAnswer.parse("{\"tags\": [{\"tag\": \"a\", \"confidence\": 0.5, \"reason\": \"x\\u0000y\"}]}");
        LlmAnswer longReason = LlmAnswer.parse("{\"tags\": [{\"tag\": \"a\", \"confidence\": 0.5, \"reason\": \""
                + "r".repeat(5000) + "\"}]}");

        assertThat(nul.tags().get(0).reason()).isEqualTo("x\uFFFDy");
        assertThat(longReason.tags().get(0).reason()).hasSize(LlmAnswer.MAX_REASON_CHARS).endsWith("…");
    }
}
