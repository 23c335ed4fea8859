package io.tagstream.sinks.postgres;

import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.feedback.ConfirmedExample;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The PostgreSQL sinks. They write at least once and their statements are idempotent, so the
 * tables end up exactly as if each record had been written once.
 */
public final class PostgresSinks {
    private PostgresSinks() {}

    public static JdbcSink<TagEvent> tagEvents(PostgresConnection connection, JdbcExecutionOptions options) {
        return JdbcSink.<TagEvent>builder()
                .withQueryStatement(TagEventStatement.SQL, new TagEventStatement())
                .withExecutionOptions(options)
                .buildAtLeastOnce(connection.jdbcOptions());
    }

    public static JdbcSink<DeadLetter> deadLetters(PostgresConnection connection, JdbcExecutionOptions options) {
        return JdbcSink.<DeadLetter>builder()
                .withQueryStatement(DeadLetterStatement.SQL, new DeadLetterStatement())
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
        return JdbcExecutionOptions.builder()
                .withBatchSize(500)
                .withBatchIntervalMs(200)
                .withMaxRetries(3)
                .build();
    }
}
