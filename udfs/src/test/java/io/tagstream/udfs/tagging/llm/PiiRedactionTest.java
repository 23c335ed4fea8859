package io.tagstream.udfs.tagging.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PiiRedactionTest {

    @Test
    void redactsContactDataAndKeepsOrdinaryNumbers() {
        String text = "Write to ann.lee+news@example.co.uk or call +44 20 7946 0958 / (030) 123-4567. "
                + "Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, server 192.168.10.4, "
                + "db postgres://admin:s3cret@db.local/x. Flink 1.20 was released in 2024 with 3 fixes.";
        assertThat(PiiRedaction.redact(text)).isEqualTo("Write to [EMAIL] or call [PHONE] / [PHONE]. "
                + "Card [CARD], IBAN [IBAN], server [IP], "
                + "db postgres://[CREDENTIALS]@db.local/x. Flink 1.20 was released in 2024 with 3 fixes.");
    }

    @Test
    void leavesTextWithoutPersonalDataAlone() {
        assertThat(PiiRedaction.redact("卡夫卡教學 version 3.9.1")).isEqualTo("卡夫卡教學 version 3.9.1");
        assertThat(PiiRedaction.redact(null)).isNull();
    }
}
