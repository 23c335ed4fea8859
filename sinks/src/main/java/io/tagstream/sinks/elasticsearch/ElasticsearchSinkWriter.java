package io.tagstream.sinks.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * reach Elasticsearch at all; anything else is a bug in the document and fails the job loudly.
 */
final class ElasticsearchSinkWriter<IN> extends AsyncSinkWriter<IN, IndexAction> {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);

    private final HttpClient http;
    private final URI bulkUri;
    private final Duration retryBackoff;

    ElasticsearchSinkWriter(
            ElementConverter<IN, IndexAction> converter,
            Sink.InitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<IndexAction>> recoveredState,
            String url,
            Duration retryBackoff) {
        super(converter, context, configuration, recoveredState);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.bulkUri = URI.create(url + "/_bulk");
        this.retryBackoff = retryBackoff;
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
                result.completeExceptionally(new IOException("Elasticsearch rejected a bulk request with status "
                        + response.statusCode() + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
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
        for (int i = 0; i < actions.size(); i++) {
            JsonNode item = items.path(i).path("index");
            int status = item.path("status").asInt(0);
            if (ElasticsearchBulk.isDone(status)) {
                continue;
            }
            if (ElasticsearchBulk.isRetryable(status)) {
                retry.add(actions.get(i));
            } else {
                // The documents are the job's own, so a refusal means the index does not match this
                // version; failing keeps the view from silently falling behind the log.
                IndexAction action = actions.get(i);
                String hint = item.path("error").path("type").asText().contains("mapping")
                        ? "; the index's mapping is older than this version: ./tagstream setup brings it up to date"
                        : "";
                result.completeExceptionally(new IOException("Elasticsearch refused document " + action.index() + "/"
                        + action.id() + " (status " + status + "): " + item.path("error") + hint));
                return;
            }
        }
        if (retry.isEmpty()) {
            result.complete();
        } else {
            retryLater(retry, result);
        }
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
