package io.tagstream.udfs.tagging.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.tagging.llm.OpenAiWireServer.Reply;
import io.tagstream.udfs.tagging.rules.RuleTagger;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM tagger against a real HTTP server speaking the OpenAI chat-completions wire format,
 * called by langchain4j's own OpenAI client: good answers, malformed JSON, 429, 500, a timeout,
 * an endpoint that refuses connections, the circuit breaker and the budget. Checks the tags, the
 * fallback recorded on them, every {@code llm_usage} record and what the metrics' listener heard.
 */
class LlmTaggerTest {
    private static final String TAXONOMY = """
            [{"kind": "dimension", "id": "topic", "label": "Topic"},
             {"kind": "tag", "id": "topic::kafka", "dimension": "topic", "label": "Kafka"},
             {"kind": "tag", "id": "topic::flink", "dimension": "topic", "label": "Flink", "aliases": ["Apache Flink"]}]
            """;
    private static final TaggingRequest REQUEST = new TaggingRequest("acme", "c1", "Kafka and Flink",
            "Questions to ann@example.com or +1 415 555 0100.", "en");

    /** What the fake server does with each request, in order; a 500 once they are used up. */
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<String> requestBodies = Collections.synchronizedList(new ArrayList<>());
    private OpenAiWireServer server;
    private final List<LlmUsage> usage = new ArrayList<>();
    private final List<TagCandidate> candidates = new ArrayList<>();
    private final List<Long> sleeps = new ArrayList<>();
    /** What the tagger told its listener (the metrics), in order. */
    private final List<String> heard = new ArrayList<>();
    private final LlmListener listener = new LlmListener() {
        @Override
        public void called(LlmUsage call) {
            heard.add("call " + call.attempt() + " " + call.outcome() + " " + call.inputTokens() + "/" + call.outputTokens());
        }

        @Override
        public void refusedByOpenCircuit() {
            heard.add("refused: circuit open");
        }

        @Override
        public void fellBack(String why) {
            heard.add("fell back: " + why);
        }
    };
    private long now = 1_000_000;

    @BeforeEach
    void start() throws IOException {
        server = OpenAiWireServer.start(body -> {
            requestBodies.add(body);
            Reply reply = replies.poll();
            return reply == null ? Reply.error(500) : reply;
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Reply ok(String content) {
        return Reply.ok(content, 120, 30);
    }

    private LlmTagger tagger(int maxAttempts, long timeoutMillis, long maxTokensPerItem) throws Exception {
        Taxonomy taxonomy = TaxonomyFile.parse(TAXONOMY.getBytes(StandardCharsets.UTF_8), "test");
        LlmSettings settings = new LlmSettings("openai", server.baseUrl(),
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
                recorder, listener, sleeps::add, () -> now);
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
        assertThat(heard).containsExactly("call 1 ok 120/30");
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
        assertThat(heard).containsExactly("call 1 invalid_output 120/30", "call 2 ok 120/30");
    }

    @Test
    void rateLimitsAndServerErrorsFallBackAfterThreeAttemptsAndSaySo() throws Exception {
        replies.add(Reply.error(429));
        replies.add(Reply.error(500));
        replies.add(Reply.error(429));
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
        assertThat(heard).containsExactly("call 1 rate_limited 0/0", "call 2 server_error 0/0", "call 3 rate_limited 0/0",
                "fell back: rate_limited after 3 attempts", "refused: circuit open", "fell back: circuit breaker open");
    }

    @Test
    void aTimeoutFallsBack() throws Exception {
        replies.add(Reply.hang());
        List<TagAssignment> tags = tagger(1, 300, 10_000).tag(REQUEST);

        assertThat(outcomes(usage)).isEqualTo("[1:timeout]");
        assertThat(tags).hasSize(2).allSatisfy(t -> {
            assertThat(t.model()).isEqualTo("keyword-matcher/1 (fallback from gpt-test: timeout after 1 attempt)");
            assertThat(t.reason()).startsWith("LLM unavailable (timeout after 1 attempt); ");
        });
        assertThat(heard).containsExactly("call 1 timeout 0/0", "fell back: timeout after 1 attempt");
    }

    @Test
    void anEndpointThatRefusesConnectionsFallsBackAndComesBack() throws Exception {
        LlmTagger tagger = tagger(2, 5_000, 10_000);
        server.refuseConnections();
        List<TagAssignment> tags = tagger.tag(REQUEST);

        assertThat(outcomes(usage)).isEqualTo("[1:unreachable, 2:unreachable]");
        assertThat(usage.get(0).error()).contains("ConnectException");
        assertThat(tags).hasSize(2).allSatisfy(t ->
                assertThat(t.model()).isEqualTo("keyword-matcher/1 (fallback from gpt-test: unreachable after 2 attempts)"));

        server.acceptConnections();
        replies.add(ok("{\"tags\": [{\"tag\": \"Kafka\", \"confidence\": 0.7, \"reason\": \"title\"}]}"));
        assertThat(tagger.tag(REQUEST)).containsExactly(
                new TagAssignment("topic::kafka", "topic", 0.7, TagSource.LLM, "gpt-test", "tag-v1", "title"));
        assertThat(heard).containsExactly("call 1 unreachable 0/0", "call 2 unreachable 0/0",
                "fell back: unreachable after 2 attempts", "call 1 ok 120/30");
    }

    @Test
    void anItemOverItsBudgetIsNotSentAtAll() throws Exception {
        replies.add(ok("{\"tags\": []}"));
        List<TagAssignment> tags = tagger(3, 5_000, 100).tag(REQUEST);

        assertThat(requestBodies).isEmpty();
        assertThat(usage).isEmpty();
        assertThat(tags).allSatisfy(t -> assertThat(t.model()).endsWith("(fallback from gpt-test: item budget exhausted)"));
        assertThat(heard).containsExactly("fell back: item budget exhausted");
    }
}
