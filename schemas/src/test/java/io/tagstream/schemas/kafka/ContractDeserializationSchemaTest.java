package io.tagstream.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.IngestLimits;
import io.tagstream.schemas.ContentEventReader;
import io.tagstream.schemas.fuzz.KafkaRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ContractDeserializationSchemaTest {

    private static final String TOPIC = "content.events";
    private static final long TIMESTAMP = 1_767_182_400_000L;
    private static final byte[] KEY = utf8("acme/c1");
    private static final byte[] VALID = utf8("""
            {"event_id": "e1", "tenant": "acme", "content_id": "c1", "op": "UPSERT",
             "version": 4, "occurred_at": "2026-01-31T12:00:00Z", "title": "Hello"}""");

    private final ContractDeserializationSchema<ContentEvent> schema =
            new ContractDeserializationSchema<>(new ContentEventReader(IngestLimits.DEFAULT), ContentEvent.class);

    @Test
    void passesAValidRecordOnAsAValidContentEvent() {
        Either<DeadLetter, ContentEvent> out = deserializeOne(schema, record(3, 17L, KEY, VALID));

        assertThat(out.isRight()).isTrue();
        ContentEvent event = out.right();
        assertThat(event.eventId()).isEqualTo("e1");
        assertThat(event.tenant()).isEqualTo("acme");
        assertThat(event.contentId()).isEqualTo("c1");
        assertThat(event.op()).isEqualTo(ContentOp.UPSERT);
        assertThat(event.version()).isEqualTo(4L);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(event.title()).isEqualTo("Hello");
    }

    @Test
    void turnsAnInvalidRecordIntoADeadLetterWithItsPositionAndRawBytes() {
        byte[] value = utf8("[1, 2, 3]");
        Instant before = Instant.now(Clock.systemUTC());

        Either<DeadLetter, ContentEvent> out = deserializeOne(schema, record(3, 17L, KEY, value));

        Instant after = Instant.now(Clock.systemUTC());
        assertThat(out.isRight()).isFalse();
        DeadLetter dead = out.left();
        assertThat(dead.stage()).isEqualTo("parse");
        assertThat(dead.error()).isEqualTo("not a JSON object");
        assertThat(dead.topic()).isEqualTo(TOPIC);
        assertThat(dead.partition()).isEqualTo(3);
        assertThat(dead.offset()).isEqualTo(17L);
        assertThat(dead.recordTimestamp()).isEqualTo(Instant.ofEpochMilli(TIMESTAMP));
        assertThat(dead.keyBase64()).isEqualTo(Base64.getEncoder().encodeToString(KEY));
        assertThat(decode(dead.rawBase64())).isEqualTo(value);
        assertThat(dead.rawTruncated()).isFalse();
        assertThat(dead.rawSize()).isEqualTo(value.length);
        assertThat(dead.failedAt()).isBetween(before, after);
    }

    @Test
    void carriesTheReadersErrorText() {
        byte[] value = utf8("""
                {"event_id": "e1", "tenant": "acme/x", "content_id": "c1", "op": "UPSERT",
                 "occurred_at": "2026-01-31T12:00:00Z"}""");

        DeadLetter dead = deserializeOne(schema, record(0, 0L, KEY, value)).left();

        assertThat(dead.error())
                .isEqualTo("field 'tenant' must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}, was 'acme/x'");
    }

    @Test
    void keepsBinaryGarbageByteForByte() {
        byte[] value = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}', 0, (byte) 0xFF};

        DeadLetter dead = deserializeOne(schema, record(1, 5L, KEY, value)).left();

        assertThat(dead.error()).isEqualTo("not JSON: Invalid UTF-8 middle byte 0x28");
        assertThat(decode(dead.rawBase64())).isEqualTo(value);
        assertThat(dead.rawSize()).isEqualTo(12);
    }

    @Test
    void keepsAnOversizeRecordWholeWhenItFitsADeadLetter() {
        ContractDeserializationSchema<ContentEvent> small = new ContractDeserializationSchema<>(new ContentEventReader(IngestLimits.DEFAULT.withMaxRecordBytes(100)), ContentEvent.class);
        byte[] value = new byte[150];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }

        DeadLetter dead = deserializeOne(small, record(2, 99L, KEY, value)).left();

        assertThat(dead.error()).isEqualTo("record of 150 bytes exceeds the limit of 100 bytes");
        assertThat(dead.rawTruncated()).isFalse();
        assertThat(decode(dead.rawBase64())).isEqualTo(value);
        assertThat(dead.rawSize()).isEqualTo(150);
        assertThat(dead.offset()).isEqualTo(99L);
    }

    @Test
    void cutsWhatADeadLetterCannotHoldAndKeepsTheOriginalSize() {
        byte[] value = new byte[900 * 1024];
        Arrays.fill(value, (byte) '{');
        byte[] key = new byte[DeadLetter.MAX_KEY_BYTES + 1];

        DeadLetter dead = deserializeOne(schema, record(2, 99L, key, value)).left();

        assertThat(dead.error()).startsWith("not JSON");
        assertThat(dead.rawTruncated()).isTrue();
        assertThat(decode(dead.rawBase64())).isEqualTo(Arrays.copyOf(value, DeadLetter.MAX_RAW_BYTES));
        assertThat(decode(dead.keyBase64())).hasSize(DeadLetter.MAX_KEY_BYTES);
        assertThat(dead.rawSize()).isEqualTo(900 * 1024);
        assertThat(io.tagstream.schemas.json.Json.toBytes(dead).length)
                .as("far below Kafka's default max.request.size of 1 MiB").isLessThan(400 * 1024);
    }

    @Test
    void doesNotMarkAnInvalidRecordAtExactlyTheLimitAsTruncated() {
        ContractDeserializationSchema<ContentEvent> small = new ContractDeserializationSchema<>(new ContentEventReader(IngestLimits.DEFAULT.withMaxRecordBytes(100)), ContentEvent.class);
        byte[] value = utf8("x".repeat(100));

        DeadLetter dead = deserializeOne(small, record(0, 1L, KEY, value)).left();

        assertThat(dead.rawTruncated()).isFalse();
        assertThat(decode(dead.rawBase64())).isEqualTo(value);
        assertThat(dead.rawSize()).isEqualTo(100);
    }

    @Test
    void turnsATombstoneIntoAnEmptyDeadLetter() {
        DeadLetter dead = deserializeOne(schema, record(0, 8L, KEY, null)).left();

        assertThat(dead.error()).isEqualTo("empty record");
        assertThat(dead.rawBase64()).isEmpty();
        assertThat(dead.rawSize()).isZero();
        assertThat(dead.rawTruncated()).isFalse();
    }

    @Test
    void leavesOutAMissingKeyAndAMissingTimestamp() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 0, 4L, ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, -1, 4, null, utf8("nope"), new RecordHeaders(), Optional.empty());

        DeadLetter dead = deserializeOne(schema, record).left();

        assertThat(dead.keyBase64()).isNull();
        assertThat(dead.recordTimestamp()).isNull();
    }

    /** Found by fuzzing (ReaderFuzzing, shrunk to a tombstone at Long.MAX_VALUE): PostgreSQL refused its dead letter. */
    @Test
    void leavesOutARecordTimeNoStoreCanHold() {
        long lastKept = Instant.parse("2099-12-31T23:59:59.999Z").toEpochMilli();

        assertThat(deserializeOne(schema, KafkaRecords.record(TOPIC, 4L, Long.MAX_VALUE, null, null)).left().recordTimestamp())
                .isNull();
        assertThat(deserializeOne(schema, KafkaRecords.record(TOPIC, 5L, lastKept, null, null)).left().recordTimestamp())
                .isEqualTo(Instant.ofEpochMilli(lastKept));
    }

    @Test
    void emitsExactlyOneElementPerRecord() {
        List<Either<DeadLetter, ContentEvent>> out = new ArrayList<>();
        Collector<Either<DeadLetter, ContentEvent>> collector = KafkaRecords.collector(out);

        schema.deserialize(record(0, 0L, KEY, VALID), collector);
        schema.deserialize(record(0, 1L, KEY, utf8("nope")), collector);
        schema.deserialize(record(0, 2L, KEY, VALID), collector);

        assertThat(out).extracting(Either::isRight).containsExactly(true, false, true);
    }

    @Test
    void producesEitherADeadLetterOrTheContract() {
        assertThat(schema.getProducedType()).isEqualTo(
                new EitherTypeInfo<>(TypeInformation.of(DeadLetter.class), TypeInformation.of(ContentEvent.class)));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Either<DeadLetter, ContentEvent> deserializeOne(
            ContractDeserializationSchema<ContentEvent> schema, ConsumerRecord<byte[], byte[]> record) {
        List<Either<DeadLetter, ContentEvent>> out = KafkaRecords.deserialize(schema, record);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, byte[] key, byte[] value) {
        return new ConsumerRecord<>(TOPIC, partition, offset, TIMESTAMP, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value,
                new RecordHeaders(), Optional.empty());
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
