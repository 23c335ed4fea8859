package io.tagstream.sinks.postgres;

import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.schemas.TagStat;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.udfs.content.TagDrop;
import io.tagstream.udfs.graph.CooccurrenceCount;
import io.tagstream.udfs.suggest.SessionState;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import java.util.Map;

/**
 * The PostgreSQL sinks. They write at least once and their statements are idempotent, so the
 * tables end up exactly as if each record had been written once.
 */
public final class PostgresSinks {
    private PostgresSinks() {}

    /**
     * The log's hot path: the driver rewrites each batch into multi-row INSERTs
     * ({@code reWriteBatchedInserts}), a few statements per batch instead of one per event. Only
     * here: an upsert that coalesces (tag_stats, tag_cooccurrence) must not meet its own key twice
     * in one statement, which a rewritten batch could make it do.
     */
    public static JdbcSink<TagEvent> tagEvents(PostgresConnection connection, JdbcExecutionOptions options) {
        return JdbcSink.<TagEvent>builder()
                .withQueryStatement(TagEventStatement.SQL, new TagEventStatement())
                .withExecutionOptions(options)
                .buildAtLeastOnce(connection.jdbcOptions(Map.of("reWriteBatchedInserts", "true")));
    }

    public static JdbcSink<TagStat> tagStats(PostgresConnection connection, JdbcExecutionOptions options) {
        return sink(TagStatStatement.SQL, new TagStatStatement(), connection, options);
    }

    public static JdbcSink<DeadLetter> deadLetters(PostgresConnection connection, JdbcExecutionOptions options) {
        return sink(DeadLetterStatement.SQL, new DeadLetterStatement(), connection, options);
    }

    public static JdbcSink<TagDrop> tagDrops(PostgresConnection connection, JdbcExecutionOptions options) {
        return sink(TagDropStatement.SQL, new TagDropStatement(), connection, options);
    }

    public static JdbcSink<TaxonomyCommand> taxonomyCommands(PostgresConnection connection, JdbcExecutionOptions options) {
        return sink(TaxonomyCommandStatement.SQL, new TaxonomyCommandStatement(), connection, options);
    }

    public static JdbcSink<CooccurrenceCount> cooccurrence(PostgresConnection connection, JdbcExecutionOptions options) {
        return sink(CooccurrenceStatement.SQL, new CooccurrenceStatement(), connection, options);
    }

    public static JdbcSink<SessionState> suggestSessions(PostgresConnection connection, JdbcExecutionOptions options) {
        return sink(SuggestSessionStatement.SQL, new SuggestSessionStatement(), connection, options);
    }

    /** Every table is written the same way: at least once, by a statement that is idempotent. */
    public static <T> JdbcSink<T> sink(
            String sql, JdbcStatementBuilder<T> statement, PostgresConnection connection, JdbcExecutionOptions options) {
        return JdbcSink.<T>builder()
                .withQueryStatement(sql, statement)
                .withExecutionOptions(options)
                .buildAtLeastOnce(connection.jdbcOptions());
    }

    public static JdbcSink<ConfirmedExample> tagExamples(PostgresConnection connection, JdbcExecutionOptions options) {
        return JdbcSink.<ConfirmedExample>builder()
                .withQueryStatement(TagExampleStatement.SQL, new TagExampleStatement("feedback"))
                .withExecutionOptions(options)
                .buildAtLeastOnce(connection.jdbcOptions());
    }

    /** Batches of up to 500 rows or 200 ms, retried three times; flushed on every checkpoint. */
    public static JdbcExecutionOptions defaultExecutionOptions() {
        return executionOptions(500);
    }

    /** Batches of up to {@code batchSize} rows or 200 ms, retried three times; flushed on every checkpoint. */
    public static JdbcExecutionOptions executionOptions(int batchSize) {
        return JdbcExecutionOptions.builder()
                .withBatchSize(batchSize)
                .withBatchIntervalMs(200)
                .withMaxRetries(3)
                .build();
    }
}
