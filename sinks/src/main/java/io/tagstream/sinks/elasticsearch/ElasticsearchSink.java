package io.tagstream.sinks.elasticsearch;

import io.tagstream.sinks.postgres.PostgresConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.api.connector.sink2.StatefulSink;

/**
 * Indexes documents into Elasticsearch 8 through its bulk API, batching, retrying and applying
 * backpressure through Flink's async sink. Buffered documents are part of checkpoints, and
 * versioned writes make the index idempotent, so nothing is lost or rolled back on recovery.
 *
 * <p>It speaks plain HTTP/JSON so that it needs no Elasticsearch client library: the only
 * released Flink connector bundles a 7.x client.
 */
public final class ElasticsearchSink<IN> extends AsyncSinkBase<IN, IndexAction> {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final Duration retryBackoff;
    private final PostgresConnection deadLetters;

    private ElasticsearchSink(Builder<IN> b) {
        super(b.converter, b.maxBatchSize, b.maxInFlightRequests, b.maxBufferedRequests,
                b.maxBatchSizeInBytes, b.maxTimeInBufferMs, b.maxRecordSizeInBytes);
        this.url = b.url;
        this.retryBackoff = b.retryBackoff;
        this.deadLetters = b.deadLetters;
    }

    public static <IN> Builder<IN> builder() {
        return new Builder<>();
    }

    @Override
    public StatefulSink.StatefulSinkWriter<IN, BufferedRequestState<IndexAction>> createWriter(InitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSink.StatefulSinkWriter<IN, BufferedRequestState<IndexAction>> restoreWriter(
            InitContext context, Collection<BufferedRequestState<IndexAction>> recoveredState) {
        AsyncSinkWriterConfiguration configuration = AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .build();
        return new ElasticsearchSinkWriter<>(getElementConverter(), context, configuration, recoveredState, url, retryBackoff, deadLetters);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<IndexAction>> getWriterStateSerializer() {
        return new IndexActionStateSerializer();
    }

    public static final class Builder<IN> {
        private String url;
        private ElementConverter<IN, IndexAction> converter;
        private int maxBatchSize = 500;
        private int maxInFlightRequests = 2;
        private int maxBufferedRequests = 10_000;
        private long maxBatchSizeInBytes = 5L * 1024 * 1024;
        private long maxTimeInBufferMs = 200;
        private long maxRecordSizeInBytes = 1024 * 1024;
        private Duration retryBackoff = Duration.ofMillis(500);
        private PostgresConnection deadLetters;

        /** @param url e.g. {@code http://127.0.0.1:9200} */
        public Builder<IN> url(String url) {
            this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return this;
        }

        public Builder<IN> converter(ElementConverter<IN, IndexAction> converter) {
            this.converter = converter;
            return this;
        }

        public Builder<IN> maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder<IN> maxTimeInBufferMs(long maxTimeInBufferMs) {
            this.maxTimeInBufferMs = maxTimeInBufferMs;
            return this;
        }

        /** How long to wait before resending documents Elasticsearch could not take. */
        public Builder<IN> retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** Where documents the index refuses for good are kept: {@code store_dead_letters} in this database. */
        public Builder<IN> deadLetters(PostgresConnection deadLetters) {
            this.deadLetters = deadLetters;
            return this;
        }

        public ElasticsearchSink<IN> build() {
            if (url == null || converter == null || deadLetters == null) {
                throw new IllegalStateException("an Elasticsearch sink needs a url, a converter and a dead-letter store");
            }
            return new ElasticsearchSink<>(this);
        }
    }

    static IOException describe(String what, Throwable cause) {
        return new IOException(what + ": " + cause.getMessage(), cause);
    }
}
