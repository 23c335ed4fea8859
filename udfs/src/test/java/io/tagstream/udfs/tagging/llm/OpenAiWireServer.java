package io.tagstream.udfs.tagging.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions wire format, so that
 * langchain4j's own OpenAI client makes the LLM tagger's calls in tests. The test decides each
 * answer from the request's body ({@link Responder}): a completion with token usage, an error
 * status, or no answer at all until the client gives up. It can also stop listening for a while
 * (connection refused) and listen again on the same port. The unit tests of the tagger and the
 * integration tests of the job (through this module's test jar) share it.
 */
public final class OpenAiWireServer implements AutoCloseable {
    /** A hung request is answered at the latest after this, long after any client timeout of a test. */
    private static final long HANG_SECONDS = 60;

    /** What to answer to one request. */
    public record Reply(int status, String content, long promptTokens, long completionTokens, boolean hangs) {
        /** A completion whose message is {@code content}, with the usage the model reports. */
        public static Reply ok(String content, long promptTokens, long completionTokens) {
            return new Reply(200, content, promptTokens, completionTokens, false);
        }

        /** An error status (429, 500, ...) with an OpenAI error body. */
        public static Reply error(int status) {
            return new Reply(status, null, 0, 0, false);
        }

        /** No answer until the client has timed out (or the server stops listening). */
        public static Reply hang() {
            return new Reply(500, null, 0, 0, true);
        }
    }

    /** Answers one request, given its body (the prompt is in it). Called on the server's threads. */
    @FunctionalInterface
    public interface Responder {
        Reply answer(String requestBody);
    }

    private final Responder responder;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicLong requests = new AtomicLong();
    private final int port;
    private volatile CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    private OpenAiWireServer(Responder responder, int port) throws IOException {
        this.responder = responder;
        this.server = listen(port);
        this.port = server.getAddress().getPort();
    }

    /** Starts on a free port. */
    public static OpenAiWireServer start(Responder responder) throws IOException {
        return new OpenAiWireServer(responder, 0);
    }

    /** The {@code llm.base-url} that reaches this server. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    /** Requests received so far. */
    public long requests() {
        return requests.get();
    }

    /** Stops listening: calls now fail with connection refused. Hung requests are let go. */
    public synchronized void refuseConnections() {
        releaseHung();
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again, on the same port. */
    public synchronized void acceptConnections() throws IOException {
        if (server == null) {
            server = listen(port);
        }
    }

    private HttpServer listen(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/v1/chat/completions", this::handle);
        // Threads of its own: a hung request must not hold up the next ones.
        http.setExecutor(threads);
        http.start();
        return http;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Reply reply = responder.answer(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (reply.hangs()) {
            try {
                release.await(HANG_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = (reply.status() == 200
                ? Json.toString(Map.of(
                        "id", "chatcmpl-1", "object", "chat.completion", "created", 1_700_000_000, "model", "gpt-test",
                        "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                                "message", Map.of("role", "assistant", "content", reply.content()))),
                        "usage", Map.of("prompt_tokens", reply.promptTokens(), "completion_tokens", reply.completionTokens(),
                                "total_tokens", reply.promptTokens() + reply.completionTokens())))
                : "{\"error\": {\"message\": \"status " + reply.status() + "\", \"type\": \"test\"}}")
                .getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException clientGone) {
            // The client timed out on a hung request and closed the connection: nobody to answer.
        } finally {
            exchange.close();
        }
    }

    private void releaseHung() {
        CountDownLatch hung = release;
        release = new CountDownLatch(1);
        hung.countDown();
    }

    @Override
    public void close() {
        refuseConnections();
        threads.shutdownNow();
    }
}
