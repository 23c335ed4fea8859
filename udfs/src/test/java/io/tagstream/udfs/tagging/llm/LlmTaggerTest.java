package io.tagstream.udfs.tagging.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.json.Json;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.tagging.rules.RuleTagger;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM tagger against a real HTTP server speaking the OpenAI chat-completions wire format,
 * called by langchain4j's own OpenAI client: good answers, malformed JSON, 429, 500, a timeout,
 * the circuit breaker and the budget. Checks the tags, the fallback recorded on them, and every
 * {@code llm_usage} record.
 */
class LlmTaggerTest {
    private static final String TAXONOMY = """
            [{"kind": "dimension", "id": "topic", "label": "Topic"},
             {"kind": "tag", "id": "topic::kafka", "dimension": "topic", "label": "Kafka"},
             {"kind": "tag", "id": "topic::flink", "dimension": "topic", "label": "Flink", "aliases": ["Apache Flink"]}]
            """;
    private static final TaggingRequest REQUEST = new TaggingRequest("acme", "c1", "Kafka and Flink",
            "Questions to ann@example.com or +1 415 555 0100.", "en");

    /** What the fake server does with each request, in order. */
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<String> requestBodies = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private final List<LlmUsage> usage = new ArrayList<>();
    private final List<TagCandidate> candidates = new ArrayList<>();
    private final List<Long> sleeps = new ArrayList<>();
    private long now = 1_000_000;

    private record Reply(int status, String content, boolean hang) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requestBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Reply reply = replies.poll();
        if (reply == null) {
            reply = new Reply(500, null, false);
        }
        if (reply.hang()) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = (reply.status() == 200
                ? Json.toString(Map.of(
                        "id", "chatcmpl-1", "object", "chat.completion", "created", 1_700_000_000, "model", "gpt-test",
                        "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                                "message", Map.of("role", "assistant", "content", reply.content()))),
                        "usage", Map.of("prompt_tokens", 120, "completion_tokens", 30, "total_tokens", 150)))
                : "{\"error\": {\"message\": \"status " + reply.status() + "\", \"type\": \"test\"}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Reply ok(String content) {
        return new Reply(200, content, false);
    }

    private LlmTagger tagger(int maxAttempts, long timeoutMillis, long maxTokensPerItem) throws Exception {
        Taxonomy taxonomy = TaxonomyFile.parse(TAXONOMY.getBytes(StandardCharsets.UTF_8), "test");
        LlmSettings settings = new LlmSettings("openai", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "gpt-test", "TAGSTREAM_TEST_NO_SUCH_KEY", "tag-v1", timeoutMillis, maxAttempts, 100, 3, 60_000,
                maxTokensPerItem, 1.0, new LlmPricing(1.0, 2.0), 256, 3);
        LlmRecorder recorder = new LlmRecorder() {
            @Override
            public void usage(LlmUsage u) {
                usage.add(u);
            }

            @Override
            public void candidate(TagCandidate c) {
                candidates.add(c);
            }
        };
        return new LlmTagger(taxonomy, settings, ChatModels.create(settings, Map.of()), RuleTagger.withKeywords().create(taxonomy),
                label -> label.equals("stream processing") ? taxonomy.tag("topic::flink") : Optional.empty(),
                recorder, sleeps::add, () -> now);
    }

    private static String outcomes(List<LlmUsage> usage) {
        return usage.stream().map(u -> u.attempt() + ":" + u.outcome()).toList().toString();
    }

    @Test
    void aGoodAnswerBecomesLlmTagsAndProposalsOutsideTheTaxonomyBecomeCandidates() throws Exception {
        replies.add(ok("{\"tags\": [{\"tag\": \"topic::kafka\", \"confidence\": 0.92, \"reason\": \"Kafka in the title\"},"
                + " {\"tag\": \"Apache Flink\", \"confidence\": 0.8, \"reason\": \"Flink in the title\"},"
                + " {\"tag\": \"stream processing\", \"confidence\": 0.7, \"reason\": \"both are streaming\", \"new\": true},"
                + " {\"tag\": \"Event mesh\", \"confidence\": 0.5, \"reason\": \"a guess\", \"new\": true}]}"));
        List<TagAssignment> tags = tagger(3, 5_000, 10_000).tag(REQUEST);

        assertThat(tags).containsExactly(
                new TagAssignment("topic::kafka", "topic", 0.92, TagSource.LLM, "gpt-test", "tag-v1", "Kafka in the title"),
                new TagAssignment("topic::flink", "topic", 0.8, TagSource.LLM, "gpt-test", "tag-v1", "Flink in the title"));
        assertThat(candidates).containsExactly(new TagCandidate("acme", "Event mesh", "", "c1", "gpt-test", "tag-v1", 0.5, "a guess"));
        assertThat(usage).containsExactly(new LlmUsage("acme", "c1", "gpt-test", "tagging", "tag-v1", 1, 120, 30,
                0.00018, 0, "ok", null));
        // Personal data never left the process; the prompt did.
        assertThat(requestBodies).hasSize(1);
        assertThat(requestBodies.get(0)).contains("[EMAIL]", "[PHONE]", "topic::kafka = Kafka", "gpt-test")
                .doesNotContain("ann@example.com", "555");
    }

    @Test
    void aMalformedAnswerIsRetriedAfterABackoff() throws Exception {
        replies.add(ok("Sure! The tags are kafka and flink."));
        replies.add(ok("{\"tags\": [{\"tag\": \"Kafka\", \"confidence\": 0.6, \"reason\": \"title\"}]}"));
        List<TagAssignment> tags = tagger(3, 5_000, 10_000).tag(REQUEST);

        assertThat(tags).containsExactly(
                new TagAssignment("topic::kafka", "topic", 0.6, TagSource.LLM, "gpt-test", "tag-v1", "title"));
        assertThat(outcomes(usage)).isEqualTo("[1:invalid_output, 2:ok]");
        assertThat(usage.get(0).error()).startsWith("not JSON");
        assertThat(usage.get(0).inputTokens()).isEqualTo(120);
        assertThat(sleeps).containsExactly(100L);
    }

    @Test
    void rateLimitsAndServerErrorsFallBackAfterThreeAttemptsAndSaySo() throws Exception {
        replies.add(new Reply(429, null, false));
        replies.add(new Reply(500, null, false));
        replies.add(new Reply(429, null, false));
        LlmTagger tagger = tagger(3, 5_000, 10_000);
        List<TagAssignment> tags = tagger.tag(REQUEST);

        assertThat(outcomes(usage)).isEqualTo("[1:rate_limited, 2:server_error, 3:rate_limited]");
        assertThat(usage).allSatisfy(u -> {
            assertThat(u.inputTokens()).isZero();
            assertThat(u.costUsd()).isZero();
        });
        assertThat(sleeps).containsExactly(100L, 200L);
        assertThat(tags).containsExactlyInAnyOrder(
                new TagAssignment("topic::kafka", "topic", 0.6, TagSource.RULE,
                        "keyword-matcher/1 (fallback from gpt-test: rate_limited after 3 attempts)", null,
                        "LLM unavailable (rate_limited after 3 attempts); matched \"kafka\" in title"),
                new TagAssignment("topic::flink", "topic", 0.6, TagSource.RULE,
                        "keyword-matcher/1 (fallback from gpt-test: rate_limited after 3 attempts)", null,
                        "LLM unavailable (rate_limited after 3 attempts); matched \"flink\" in title"));

        // Three failures in a row opened the breaker: the next content does not call at all.
        assertThat(tagger.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
        List<TagAssignment> next = tagger.tag(REQUEST);
        assertThat(requestBodies).hasSize(3);
        assertThat(next).allSatisfy(t -> assertThat(t.model()).endsWith("(fallback from gpt-test: circuit breaker open)"));
        assertThat(usage).hasSize(3);
    }

    @Test
    void aTimeoutFallsBack() throws Exception {
        replies.add(new Reply(200, "{\"tags\": []}", true));
        List<TagAssignment> tags = tagger(1, 300, 10_000).tag(REQUEST);

        assertThat(outcomes(usage)).isEqualTo("[1:timeout]");
        assertThat(tags).hasSize(2).allSatisfy(t -> {
            assertThat(t.model()).isEqualTo("keyword-matcher/1 (fallback from gpt-test: timeout after 1 attempt)");
            assertThat(t.reason()).startsWith("LLM unavailable (timeout after 1 attempt); ");
        });
    }

    @Test
    void anItemOverItsBudgetIsNotSentAtAll() throws Exception {
        replies.add(ok("{\"tags\": []}"));
        List<TagAssignment> tags = tagger(3, 5_000, 100).tag(REQUEST);

        assertThat(requestBodies).isEmpty();
        assertThat(usage).isEmpty();
        assertThat(tags).allSatisfy(t -> assertThat(t.model()).endsWith("(fallback from gpt-test: item budget exhausted)"));
    }
}
