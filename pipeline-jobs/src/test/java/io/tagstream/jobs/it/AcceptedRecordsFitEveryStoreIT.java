package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentKey;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.fuzz.Contracts;
import io.tagstream.schemas.fuzz.Contracts.Contract;
import io.tagstream.schemas.fuzz.KafkaRecords;
import io.tagstream.schemas.json.Json;
import io.tagstream.schemas.kafka.ContractDeserializationSchema;
import io.tagstream.sinks.elasticsearch.ContentDocuments;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import io.tagstream.sinks.postgres.DeadLetterStatement;
import io.tagstream.sinks.postgres.TagEventStatement;
import io.tagstream.sinks.postgres.TagExampleStatement;
import io.tagstream.udfs.content.ContentTagLedger;
import io.tagstream.udfs.content.ContentTagState;
import io.tagstream.udfs.content.ContentTagging;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.udfs.feedback.ContentText;
import io.tagstream.udfs.feedback.FeedbackExamples;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.graph.TagCanonicalizer;
import io.tagstream.udfs.taxonomy.Taxonomy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the boundary accepts, every store can hold. A few hundred ContentEvents and FeedbackEvents
 * from the readers' fuzzing generators ({@link Contracts}: valid records at their limits and
 * mutated ones) go through {@link ContractDeserializationSchema} as the job reads them, and what
 * each store would get from them is written with the project's own code into a fresh database and
 * index: tag events of the authors' and the users' tags ({@link ContentTagging},
 * {@link ContentTagLedger}) with {@link TagEventStatement}, examples of the content's text with
 * {@link TagExampleStatement}, dead letters of every record, refused or not, with
 * {@link DeadLetterStatement}, and each content's document with {@link ContentDocuments} and
 * {@link ElasticsearchBulk}. Every write must succeed; a failure names the store and prints the
 * record's JSON (all of them in {@code target/accepted-records-failures-<stores>.txt}).
 */
class AcceptedRecordsFitEveryStoreIT {
    private static final int RECORDS = 300;
    private static final int PRINTED_FAILURES = 20;
    private static final Instant PROCESSED_AT = Instant.now(Clock.systemUTC());
    /** Kafka record times as producers set them: none, the epoch, now, far ahead. */
    private static final long[] KAFKA_TIMESTAMPS = {-1L, 0L, PROCESSED_AT.toEpochMilli(), 253_402_300_799_000L, Long.MAX_VALUE};

    private static final Taxonomy NO_TAXONOMY = new Taxonomy("fuzz", List.of(), List.of());
    private static final KnowledgeGraph GRAPH = KnowledgeGraph.of(NO_TAXONOMY);
    private static final ContentTagging TAGGING = new ContentTagging(NO_TAXONOMY, request -> List.of(), 3);
    private static final ContentTagLedger LEDGER = new ContentTagLedger(new TagCanonicalizer(3));

    private static TagstreamConfig config;
    private static Read<ContentEvent> contents;
    private static Read<FeedbackEvent> feedback;

    /** What the job's source made of the generated Kafka records: accepted records and dead letters. */
    record Read<T>(List<Accepted<T>> accepted, List<DeadLetter> deadLetters) {}

    /** An accepted record and the bytes it was read from. */
    record Accepted<T>(T record, byte[] raw) {
        String json() {
            String json = Json.toString(record);
            return json.length() <= 4000 ? json : json.substring(0, 4000) + "… (" + json.length() + " characters)";
        }
    }

    @BeforeAll
    static void generate() throws Exception {
        config = LocalStack.isolatedConfig("accepted_records_it");
        contents = read(Contracts.CONTENT, "content.events");
        feedback = read(Contracts.FEEDBACK, "tag.feedback");
        assertThat(contents.accepted()).hasSize(RECORDS);
        assertThat(feedback.accepted()).hasSize(RECORDS);
    }

    @Test
    void everyAcceptedRecordFitsPostgres() throws Exception {
        Failures failures = new Failures("postgres");
        try (Connection c = config.postgres().open();
                PreparedStatement tagEvents = c.prepareStatement(TagEventStatement.SQL);
                PreparedStatement examples = c.prepareStatement(TagExampleStatement.SQL);
                PreparedStatement deadLetters = c.prepareStatement(DeadLetterStatement.SQL)) {
            TagEventStatement tagEvent = new TagEventStatement();
            TagExampleStatement example = new TagExampleStatement("feedback");
            DeadLetterStatement deadLetter = new DeadLetterStatement();
            for (Accepted<ContentEvent> content : contents.accepted()) {
                for (TagEvent event : changes(content.record()).map(TagChangeSet::events).orElse(List.of())) {
                    failures.attempt("tag_events", content, () -> {
                        tagEvent.accept(tagEvents, event);
                        tagEvents.executeUpdate();
                    });
                }
            }
            for (int i = 0; i < feedback.accepted().size(); i++) {
                Accepted<FeedbackEvent> verdict = feedback.accepted().get(i);
                for (TagEvent event : changes(verdict.record()).map(TagChangeSet::events).orElse(List.of())) {
                    failures.attempt("tag_events", verdict, () -> {
                        tagEvent.accept(tagEvents, event);
                        tagEvents.executeUpdate();
                    });
                }
                ContentEvent text = contents.accepted().get(i % contents.accepted().size()).record();
                Optional<ConfirmedExample> confirmed = FeedbackExamples.of(verdict.record(),
                        new ContentText(text.title(), text.body(), text.lang()));
                if (confirmed.isPresent()) {
                    failures.attempt("tag_examples", verdict, () -> {
                        example.accept(examples, confirmed.get().embedded("fuzz-model", new float[] {0.6f, 0.8f}));
                        examples.executeUpdate();
                    });
                }
            }
            long offset = 0;
            for (Read<?> topic : List.of(contents, feedback)) {
                for (Accepted<?> accepted : topic.accepted()) {
                    DeadLetter letter = DeadLetter.of("fuzz", "stored as a dead letter to see that it fits", "fuzz.topic",
                            0, offset++, PROCESSED_AT, key(accepted.record()), accepted.raw(), PROCESSED_AT);
                    failures.attempt("dead_letters", accepted, () -> {
                        deadLetter.accept(deadLetters, letter);
                        deadLetters.executeUpdate();
                    });
                }
                for (DeadLetter refused : topic.deadLetters()) {
                    failures.attempt("dead_letters", refused, () -> {
                        deadLetter.accept(deadLetters, refused);
                        deadLetters.executeUpdate();
                    });
                }
            }
        }
        failures.assertNone();
    }

    @Test
    void everyAcceptedRecordFitsTheContentsIndex() throws Exception {
        String index = config.get("elasticsearch.index-prefix") + "contents";
        ContentDocuments documents = new ContentDocuments(index);
        ElasticsearchBulk elasticsearch = new ElasticsearchBulk(config.get("elasticsearch.url"));
        Failures failures = new Failures("elasticsearch");
        Set<String> indexed = new LinkedHashSet<>();
        for (Read<?> topic : List.of(contents, feedback)) {
            for (Accepted<?> accepted : topic.accepted()) {
                Optional<TagChangeSet> changes = accepted.record() instanceof ContentEvent content
                        ? changes(content) : changes((FeedbackEvent) accepted.record());
                if (changes.isPresent()) {
                    TagChangeSet set = changes.get();
                    failures.attempt("contents index", accepted, () -> {
                        elasticsearch.index(List.of(documents.apply(set, null)));
                        indexed.add(ContentKey.of(set.tenant(), set.contentId()));
                    });
                }
            }
        }
        failures.assertNone();
        elasticsearch.refresh(index);
        assertThat(elasticsearch.count(index)).as("one document per content").isEqualTo(indexed.size());
    }

    /** Reads generated records, valid and mutated, as the job's Kafka source does, until {@link #RECORDS} are accepted. */
    private static <T> Read<T> read(Contract<T> contract, String topic) {
        ContractDeserializationSchema<T> schema = new ContractDeserializationSchema<>(contract.reader(), contract.type());
        List<Accepted<T>> accepted = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        long offset = 0;
        for (Contracts.FuzzInput input : (Iterable<Contracts.FuzzInput>) Arbitraries.oneOf(contract.valid(), contract.mutated())
                .sampleStream().limit(20L * RECORDS)::iterator) {
            long timestamp = KAFKA_TIMESTAMPS[(int) (offset % KAFKA_TIMESTAMPS.length)];
            List<Either<DeadLetter, T>> out = KafkaRecords.deserialize(schema,
                    KafkaRecords.record(topic, offset++, timestamp, null, input.bytes()));
            if (out.get(0).isRight()) {
                accepted.add(new Accepted<>(out.get(0).right(), input.bytes()));
            } else if (deadLetters.size() < RECORDS) {
                deadLetters.add(out.get(0).left());
            }
            if (accepted.size() == RECORDS) {
                break;
            }
        }
        return new Read<>(accepted, deadLetters);
    }

    /** The change set of a new content: its authors' tags (a versionless event is the gate's version 1). */
    private static Optional<TagChangeSet> changes(ContentEvent event) {
        ContentEvent versioned = event.version() == null ? event.withVersion(1) : event;
        return LEDGER.onContent(ContentTagState.EMPTY, TAGGING.tag(versioned), GRAPH, PROCESSED_AT).changes();
    }

    /** The change set of a user's verdict on a content with no tags yet. */
    private static Optional<TagChangeSet> changes(FeedbackEvent verdict) {
        return LEDGER.onFeedback(ContentTagState.EMPTY, verdict, GRAPH, PROCESSED_AT).changes();
    }

    private static byte[] key(Object record) {
        String key = record instanceof ContentEvent e ? e.contentKey() : ContentKey.of(((FeedbackEvent) record).tenant(),
                ((FeedbackEvent) record).contentId());
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** A write that must not fail. */
    interface Write {
        void run() throws Exception;
    }

    /** The writes that failed, each with the store, the error and the record's JSON. */
    private static final class Failures {
        private final String stores;
        private final List<String> failures = new ArrayList<>();

        Failures(String stores) throws IOException {
            this.stores = stores;
            Files.deleteIfExists(file());
        }

        private Path file() {
            return Path.of("target", "accepted-records-failures-" + stores + ".txt");
        }

        void attempt(String store, Object record, Write write) {
            try {
                write.run();
            } catch (Exception e) {
                String json = record instanceof Accepted<?> accepted ? accepted.json() : Json.toString(record);
                failures.add(store + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "\n    record: " + json);
            }
        }

        void assertNone() throws IOException {
            if (failures.isEmpty()) {
                return;
            }
            Path all = file();
            Files.writeString(all, String.join("\n", failures) + "\n", StandardCharsets.UTF_8);
            throw new AssertionError(failures.size() + " writes of accepted records failed in " + stores + " (all in "
                    + all.toAbsolutePath() + "); the first " + Math.min(PRINTED_FAILURES, failures.size()) + ":\n"
                    + String.join("\n", failures.subList(0, Math.min(PRINTED_FAILURES, failures.size()))));
        }
    }
}
