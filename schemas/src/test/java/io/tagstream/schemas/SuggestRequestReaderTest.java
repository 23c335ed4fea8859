package io.tagstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SuggestRequestReaderTest {
    private final SuggestRequestReader reader = new SuggestRequestReader(IngestLimits.DEFAULT);

    @Test
    void readsAStartAndAContinue() throws Exception {
        assertThat(reader.read(utf8("""
                {"request_id": "r1", "session_id": "s1", "tenant": "acme", "action": "START",
                 "text": "一個穿白裙的精靈少女在森林中", "occurred_at": "2026-11-21T10:00:00Z"}""")))
                .isEqualTo(new SuggestRequest("r1", "s1", "acme", SuggestAction.START, "一個穿白裙的精靈少女在森林中", null,
                        false, Instant.parse("2026-11-21T10:00:00Z")));
        assertThat(reader.read(utf8("""
                {"request_id": "r2", "session_id": "s1", "tenant": "acme", "action": "CONTINUE", "choice": 2,
                 "finish": true, "occurred_at": "2026-11-21T10:00:05Z"}""")))
                .isEqualTo(new SuggestRequest("r2", "s1", "acme", SuggestAction.CONTINUE, null, 2, true,
                        Instant.parse("2026-11-21T10:00:05Z")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"request_id\":\"r\",\"session_id\":\"s\",\"tenant\":\"acme\",\"action\":\"START\",\"occurred_at\":\"2026-11-21T10:00:00Z\"}"
                + "|a START request needs the idea in field 'text'",
        "{\"request_id\":\"r\",\"session_id\":\"s\",\"tenant\":\"acme\",\"action\":\"START\",\"text\":\"elf\",\"choice\":1,\"occurred_at\":\"2026-11-21T10:00:00Z\"}"
                + "|a START request takes no 'choice' or 'finish'",
        "{\"request_id\":\"r\",\"session_id\":\"s\",\"tenant\":\"acme\",\"action\":\"CONTINUE\",\"occurred_at\":\"2026-11-21T10:00:00Z\"}"
                + "|a CONTINUE request needs a 'choice', a 'text' or 'finish': true",
        "{\"request_id\":\"r\",\"session_id\":\"s\",\"tenant\":\"acme\",\"action\":\"CONTINUE\",\"choice\":0,\"occurred_at\":\"2026-11-21T10:00:00Z\"}"
                + "|field 'choice' counts directions from 1, was 0",
        "{\"request_id\":\"r\",\"session_id\":\"s\",\"tenant\":\"acme\",\"action\":\"CONTINUE\",\"choice\":\"1\",\"occurred_at\":\"2026-11-21T10:00:00Z\"}"
                + "|field 'choice' must be a whole number, was string",
        "{\"request_id\":\"r\",\"session_id\":\"s\",\"tenant\":\"acme\",\"action\":\"CONTINUE\",\"finish\":\"yes\",\"occurred_at\":\"2026-11-21T10:00:00Z\"}"
                + "|field 'finish' must be true or false, was string",
        "{\"request_id\":\"r\",\"session_id\":\"s\",\"tenant\":\"acme\",\"action\":\"STOP\",\"occurred_at\":\"2026-11-21T10:00:00Z\"}"
                + "|field 'action' must be one of START, CONTINUE, was 'STOP'",
        "{\"request_id\":\"r\",\"tenant\":\"acme\",\"action\":\"START\",\"text\":\"elf\",\"occurred_at\":\"2026-11-21T10:00:00Z\"}"
                + "|missing required field 'session_id'",
        "not json at all|not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
    })
    void rejectsWithTheReason(String record, String error) {
        assertThatThrownBy(() -> reader.read(utf8(record))).isInstanceOf(InvalidRecordException.class).hasMessage(error);
    }

    @Test
    void rejectsATextLongerThanAParagraph() {
        String text = "精".repeat(SuggestRequestReader.MAX_TEXT_LENGTH + 1);
        assertThatThrownBy(() -> new SuggestRequestReader(IngestLimits.DEFAULT.withMaxRecordBytes(1 << 20)).read(utf8("{\"request_id\":\"r\",\"session_id\":\"s\","
                + "\"tenant\":\"acme\",\"action\":\"START\",\"text\":\"" + text + "\",\"occurred_at\":\"2026-11-21T10:00:00Z\"}")))
                .hasMessage("field 'text' is longer than 2000 characters");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
