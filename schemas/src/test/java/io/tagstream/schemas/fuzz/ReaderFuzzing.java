package io.tagstream.schemas.fuzz;

import static net.jqwik.api.Tuple.of;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.InvalidRecordException;
import io.tagstream.schemas.fuzz.Contracts.Contract;
import io.tagstream.schemas.fuzz.Contracts.FuzzInput;
import io.tagstream.schemas.json.Json;
import io.tagstream.schemas.kafka.ContractDeserializationSchema;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.types.Either;

/**
 * The boundary contract as properties, for one reader (a subclass per contract): whatever the
 * bytes, {@code read} ends in a record or an {@link InvalidRecordException} with a message fit for
 * a dead letter; every accepted record meets the store invariants ({@link StoreInvariants}) and
 * reads back equal from the JSON the project writes of it; and through
 * {@link ContractDeserializationSchema} every Kafka record becomes exactly one output.
 */
abstract class ReaderFuzzing<T> {

    abstract Contract<T> contract();

    @Property(tries = 200)
    void validRecordsAreAcceptedAndFitEveryStore(@ForAll("valid") FuzzInput input) throws Exception {
        T record;
        try {
            record = contract().reader().read(input.bytes(), HostileJson.READ_AT);
        } catch (InvalidRecordException e) {
            throw new AssertionError("a valid " + contract().name() + " was refused: " + e.getMessage(), e);
        }
        acceptedMeetsTheContract(record);
    }

    @Property(tries = 1000)
    void mutatedRecordsAreReadOrRefusedSafely(@ForAll("mutated") FuzzInput input) throws Exception {
        read(input.bytes()).ifPresent(this::acceptedMeetsTheContract);
    }

    @Property(tries = 500)
    void anyJsonValueIsReadOrRefusedSafely(@ForAll("jsonValues") JsonNode value) throws Exception {
        read(Json.toBytes(value)).ifPresent(this::acceptedMeetsTheContract);
    }

    @Property(tries = 1000)
    void anyBytesAreReadOrRefusedSafely(@ForAll("anyBytes") byte[] raw) throws Exception {
        read(raw).ifPresent(this::acceptedMeetsTheContract);
    }

    @Property(tries = 200)
    void everyKafkaRecordBecomesExactlyOneOutput(@ForAll("keys") byte[] key, @ForAll("values") byte[] value,
            @ForAll("timestamps") long timestamp) {
        ContractDeserializationSchema<T> schema = new ContractDeserializationSchema<>(contract().reader(), contract().type());

        List<Either<DeadLetter, T>> out = KafkaRecords.deserialize(schema,
                KafkaRecords.record("fuzz.topic", 17L, timestamp, key, value));

        assertThat(out).hasSize(1);
        if (out.get(0).isRight()) {
            contract().invariant().check(out.get(0).right(), Instant.now(Clock.systemUTC()), contract().reader().limits());
        } else {
            StoreInvariants.check(out.get(0).left(), key, value);
        }
    }

    @Provide
    Arbitrary<FuzzInput> valid() {
        return contract().valid();
    }

    @Provide
    Arbitrary<FuzzInput> mutated() {
        return contract().mutated();
    }

    @Provide
    Arbitrary<JsonNode> jsonValues() {
        return HostileJson.values(3);
    }

    /** Noise, mostly from the bytes JSON is made of, and the UTF-8 of any string. */
    @Provide
    Arbitrary<byte[]> anyBytes() {
        byte[] json = HostileJson.utf8("{}[]\":,\\ \n\t0123456789.eE+-truefalsn\u00e9\u8c93");
        return Arbitraries.frequencyOf(
                of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                of(2, Arbitraries.of(box(json)).list().ofMaxSize(300).map(ReaderFuzzing::unbox)),
                of(1, Arbitraries.strings().all().ofMaxLength(200).map(HostileJson::utf8)));
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.frequencyOf(
                of(1, Arbitraries.just(null)),
                of(4, Arbitraries.bytes().array(byte[].class).ofMaxSize(100)),
                of(1, huge(DeadLetter.MAX_KEY_BYTES)));
    }

    /** Tombstones, noise, mutated records and values around and far past a dead letter's bound. */
    @Provide
    Arbitrary<byte[]> values() {
        return Arbitraries.frequencyOf(
                of(1, Arbitraries.just(null)),
                of(2, anyBytes()),
                of(4, contract().mutated().map(FuzzInput::bytes)),
                of(1, huge(DeadLetter.MAX_RAW_BYTES)));
    }

    @Provide
    Arbitrary<Long> timestamps() {
        return Arbitraries.oneOf(Arbitraries.of(-1L, 0L, Long.MAX_VALUE), Arbitraries.longs().greaterOrEqual(0));
    }

    /** Arrays of about {@code bound} bytes, a byte either side, or up to 1.2 MiB. */
    private static Arbitrary<byte[]> huge(int bound) {
        return Combinators.combine(
                        Arbitraries.frequencyOf(of(2, Arbitraries.integers().between(bound - 1, bound + 1)),
                                of(1, Arbitraries.integers().between(bound, 1_200_000))),
                        Arbitraries.of((byte) '{', (byte) 'x', (byte) 0, (byte) 0xFF))
                .as((size, fill) -> {
                    byte[] bytes = new byte[size];
                    Arrays.fill(bytes, fill);
                    return bytes;
                });
    }

    /**
     * Reads {@code raw}: the record, or empty when it was refused with a message fit for a dead
     * letter. Any other exception escapes, and fails the property.
     */
    private Optional<T> read(byte[] raw) {
        try {
            return Optional.of(contract().reader().read(raw, HostileJson.READ_AT));
        } catch (InvalidRecordException e) {
            assertThat(e.getMessage()).as("the reason a record was refused").isNotBlank().doesNotContain("\u0000")
                    .matches(StoreInvariants::isQuotable, "has no control character or lone surrogate");
            return Optional.empty();
        }
    }

    /** The store invariants, and the round trip: what the project writes of the record reads back equal. */
    private void acceptedMeetsTheContract(T record) {
        contract().invariant().check(record, HostileJson.READ_AT, contract().reader().limits());
        T again;
        try {
            again = contract().reader().read(Json.toBytes(record), HostileJson.READ_AT);
        } catch (InvalidRecordException e) {
            throw new AssertionError("an accepted " + contract().name() + " written as JSON was refused: " + e.getMessage(), e);
        }
        assertThat(again).as("an accepted record written as JSON and read back").isEqualTo(record);
    }

    private static Byte[] box(byte[] bytes) {
        Byte[] boxed = new Byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            boxed[i] = bytes[i];
        }
        return boxed;
    }

    private static byte[] unbox(List<Byte> bytes) {
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
