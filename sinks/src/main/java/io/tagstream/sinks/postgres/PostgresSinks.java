package io.tagstream.sinks.postgres;

import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagStat;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.udfs.content.TagDrop;
import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.udfs.graph.CooccurrenceCount;
import io.tagstream.udfs.suggest.SessionState;
import java.util.Map;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * The PostgreSQL sinks, one per table, each a {@link PostgresSink}: at least once with an
 * idempotent statement, refused records to {@code store_dead_letters}, a database that is away
 * waited for.
 */
public final class PostgresSinks {
    /** Rows per batch where a sink does not choose. */
    public static final int DEFAULT_BATCH_SIZE = 500;

    private PostgresSinks() {}

    /**
     * The log's hot path: the driver rewrites each batch into multi-row INSERTs
     * ({@code reWriteBatchedInserts}), a few statements per batch instead of one per event. Only
     * here: an upsert that coalesces (tag_stats, tag_cooccurrence) must not meet its own key twice
     * in one statement, which a rewritten batch could make it do.
     */
    public static PostgresSink<TagEvent> tagEvents(PostgresConnection connection, int batchSize) {
        return PostgresSink.<TagEvent>builder()
                .connection(connection)
                .driverProperties(Map.of("reWriteBatchedInserts", "true"))
                .statement("tag_events", TagEventStatement.SQL, new TagEventStatement())
                .batchSize(batchSize)
                .build();
    }

    public static PostgresSink<TagStat> tagStats(PostgresConnection connection) {
        return sink(connection, "tag_stats", TagStatStatement.SQL, new TagStatStatement());
    }

    public static PostgresSink<DeadLetter> deadLetters(PostgresConnection connection) {
        return sink(connection, "dead_letters", DeadLetterStatement.SQL, new DeadLetterStatement());
    }

    public static PostgresSink<TagDrop> tagDrops(PostgresConnection connection) {
        return sink(connection, "tag_drops", TagDropStatement.SQL, new TagDropStatement());
    }

    public static PostgresSink<TaxonomyCommand> taxonomyCommands(PostgresConnection connection) {
        return sink(connection, "taxonomy_commands", TaxonomyCommandStatement.SQL, new TaxonomyCommandStatement());
    }

    public static PostgresSink<CooccurrenceCount> cooccurrence(PostgresConnection connection) {
        return sink(connection, "tag_cooccurrence", CooccurrenceStatement.SQL, new CooccurrenceStatement());
    }

    public static PostgresSink<SessionState> suggestSessions(PostgresConnection connection) {
        return sink(connection, "suggest_sessions", SuggestSessionStatement.SQL, new SuggestSessionStatement());
    }

    public static PostgresSink<ConfirmedExample> tagExamples(PostgresConnection connection) {
        return sink(connection, "tag_examples", TagExampleStatement.SQL, new TagExampleStatement("feedback"));
    }

    private static <T> PostgresSink<T> sink(
            PostgresConnection connection, String table, String sql, JdbcStatementBuilder<T> statement) {
        return PostgresSink.<T>builder()
                .connection(connection)
                .statement(table, sql, statement)
                .batchSize(DEFAULT_BATCH_SIZE)
                .build();
    }
}
