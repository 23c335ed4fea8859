package io.tagstream.sinks.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.JsonFields;
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
        send(actions).whenComplete((outcome, error) -> {
            if (error != null) {
                result.completeExceptionally(new IOException("unexpected failure of a bulk request", error));
            } else {
                setAside(outcome.refused(), outcome.retry(), result);
            }
        });
    }

    /** What became of a bulk request's documents that are not done: to retry, or refused for good. */
    private record Outcome(List<IndexAction> retry, List<Refusal> refused) {
        static Outcome retryAll(List<IndexAction> actions) {
            return new Outcome(actions, List.of());
        }

        Outcome plus(Outcome other) {
            List<IndexAction> retries = new ArrayList<>(retry);
            retries.addAll(other.retry);
            List<Refusal> refusals = new ArrayList<>(refused);
            refusals.addAll(other.refused);
            return new Outcome(retries, refusals);
        }
    }

    private record Refusal(IndexAction action, String reason, String code) {}

    private CompletableFuture<Outcome> send(List<IndexAction> actions) {
        HttpRequest request = HttpRequest.newBuilder(bulkUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ElasticsearchBulk.ndjson(actions)))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, error) -> {
            if (error != null) {
                LOG.warn("Elasticsearch bulk request of {} documents failed, retrying: {}", actions.size(), error.toString());
                return CompletableFuture.completedFuture(Outcome.retryAll(actions));
            }
            int status = response.statusCode();
            if (status == 429 || status >= 500) {
                LOG.warn("Elasticsearch answered {} to a bulk request, retrying", status);
                return CompletableFuture.completedFuture(Outcome.retryAll(actions));
            }
            if (status == 200) {
                return CompletableFuture.completedFuture(items(actions, response.body()));
            }
            // The request as a whole was refused (one id too long fails them all): halve it until
            // the documents at fault stand alone, so the others are still indexed.
            if (actions.size() > 1) {
                int half = actions.size() / 2;
                return send(actions.subList(0, half)).thenCombine(send(actions.subList(half, actions.size())), Outcome::plus);
            }
            String reason = "bulk request refused with status " + status + ": " + new String(response.body(), StandardCharsets.UTF_8);
            return CompletableFuture.completedFuture(new Outcome(List.of(), List.of(new Refusal(actions.get(0), reason,
                    Integer.toString(status)))));
        }).thenCompose(outcome -> outcome);
    }

    private Outcome items(List<IndexAction> actions, byte[] body) {
        JsonNode items;
        try {
            items = Json.mapper().readTree(body).path("items");
        } catch (IOException e) {
            LOG.warn("unreadable bulk response from Elasticsearch, retrying: {}", e.toString());
            return Outcome.retryAll(actions);
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
        return new Outcome(retry, refused);
    }

    /** Dead-letters what Elasticsearch refused for good, then completes the request or retries the rest. */
    private void setAside(List<Refusal> refused, List<IndexAction> retry, ResultHandler<IndexAction> result) {
        try {
            for (Refusal r : refused) {
                LOG.error("Elasticsearch refused document {}/{} for good, kept in store_dead_letters: {}",
                        r.action().index(), JsonFields.abbreviate(r.action().id()), JsonFields.abbreviate(r.reason()));
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
