package io.tagstream.sinks.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.postgres.PostgresConnection;
import io.tagstream.sinks.postgres.StoreDeadLetter;
import io.tagstream.sinks.postgres.StoreDeadLetters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches to {@code _bulk}. Per item: success or a version conflict (a newer document is
 * already there) is done; 429 and 5xx are retried after a back-off, as is any batch that did not
 * reach Elasticsearch at all; anything else (a document the index refuses for good: a mapping
 * conflict, a value too large) goes to {@code store_dead_letters} with Elasticsearch's reason, and
 * the rest is written: one bad document can neither fail the job in a loop nor hold back the others.
 */
final class ElasticsearchSinkWriter<IN> extends AsyncSinkWriter<IN, IndexAction> {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);

    private final HttpClient http;
    private final URI bulkUri;
    private final Duration retryBackoff;
    private final StoreDeadLetters deadLetters;

    ElasticsearchSinkWriter(
            ElementConverter<IN, IndexAction> converter,
            Sink.InitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<IndexAction>> recoveredState,
            String url,
            Duration retryBackoff,
            PostgresConnection deadLetterStore) {
        super(converter, context, configuration, recoveredState);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.bulkUri = URI.create(url + "/_bulk");
        this.retryBackoff = retryBackoff;
        this.deadLetters = new StoreDeadLetters(deadLetterStore);
    }

    @Override
    protected void submitRequestEntries(List<IndexAction> actions, ResultHandler<IndexAction> result) {
        HttpRequest request = HttpRequest.newBuilder(bulkUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ElasticsearchBulk.ndjson(actions)))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            if (error != null) {
                LOG.warn("Elasticsearch bulk request of {} documents failed, retrying: {}", actions.size(), error.toString());
                retryLater(actions, result);
            } else if (response.statusCode() == 429 || response.statusCode() >= 500) {
                LOG.warn("Elasticsearch answered {} to a bulk request, retrying", response.statusCode());
                retryLater(actions, result);
            } else if (response.statusCode() != 200) {
                // The request as a whole was refused (malformed, too large): so is each of its documents.
                String reason = "bulk request refused with status " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8);
                List<Refusal> refused = new ArrayList<>();
                actions.forEach(a -> refused.add(new Refusal(a, reason, Integer.toString(response.statusCode()))));
                setAside(refused, List.of(), result);
            } else {
                handleItems(actions, response.body(), result);
            }
        });
    }

    private void handleItems(List<IndexAction> actions, byte[] body, ResultHandler<IndexAction> result) {
        JsonNode items;
        try {
            items = Json.mapper().readTree(body).path("items");
        } catch (IOException e) {
            result.completeExceptionally(new IOException("unreadable bulk response from Elasticsearch", e));
            return;
        }
        List<IndexAction> retry = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            JsonNode item = items.path(i).path("index");
            int status = item.path("status").asInt(0);
            if (ElasticsearchBulk.isDone(status)) {
                continue;
            }
            if (ElasticsearchBulk.isRetryable(status)) {
                retry.add(actions.get(i));
            } else {
                String type = item.path("error").path("type").asText();
                String hint = type.contains("mapping") || type.contains("document_parsing")
                        ? "; if the index's mapping is older than this version, ./tagstream setup brings it up to date"
                        : "";
                refused.add(new Refusal(actions.get(i), item.path("error") + hint, status + " " + type));
            }
        }
        setAside(refused, retry, result);
    }

    private record Refusal(IndexAction action, String reason, String code) {}

    /** Dead-letters what Elasticsearch refused for good, then completes the request or retries the rest. */
    private void setAside(List<Refusal> refused, List<IndexAction> retry, ResultHandler<IndexAction> result) {
        try {
            for (Refusal r : refused) {
                LOG.error("Elasticsearch refused document {}/{} for good, kept in store_dead_letters: {}",
                        r.action().index(), r.action().id(), r.reason());
                deadLetters.record(StoreDeadLetter.of("elasticsearch", r.action().index(),
                        r.action().sourceJson().getBytes(StandardCharsets.UTF_8), r.reason(), r.code()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(new IOException("interrupted while recording refused documents", e));
            return;
        }
        if (retry.isEmpty()) {
            result.complete();
        } else {
            retryLater(retry, result);
        }
    }

    @Override
    public void close() {
        deadLetters.close();
        super.close();
    }

    private void retryLater(List<IndexAction> actions, ResultHandler<IndexAction> result) {
        CompletableFuture.runAsync(
                () -> result.retryForEntries(actions),
                CompletableFuture.delayedExecutor(retryBackoff.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    protected long getSizeInBytes(IndexAction action) {
        return action.sourceJson().length() + action.id().length() + 64L;
    }
}
