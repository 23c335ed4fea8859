package io.tagstream.jobs.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.privacy.PrivacyExport;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.java.utils.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tagstream serve}: the trace queries as a small HTTP JSON API on the JDK's own server
 * ({@code docs/api/trace-api.yaml}). Every route is under {@code /v1/tenants/{tenant}/} and needs
 * that tenant's token ({@code Authorization: Bearer ...}); a request can only ever read the tenant
 * its token belongs to. Bad parameters get a 4xx with a message that says what to change.
 */
public final class TraceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TraceServer.class);

    private final HttpServer server;
    private final ExecutorService threads;
    private final ConnectionPool pool;
    private final TenantTokens tokens;
    private final PrivacyExport exporter;
    private final Clock clock;

    private TraceServer(TagstreamConfig config, TenantTokens tokens, Clock clock) throws IOException {
        int size = config.getInt("api.threads");
        this.tokens = tokens;
        this.clock = clock;
        this.pool = new ConnectionPool(config.postgres(), size);
        this.exporter = new PrivacyExport(new ElasticsearchBulk(config.get("elasticsearch.url")),
                config.get("elasticsearch.index-prefix") + "contents", clock);
        this.threads = Executors.newFixedThreadPool(size);
        this.server = HttpServer.create(new InetSocketAddress(config.get("api.bind-address"), config.getInt("api.port")), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Starts serving; {@code api.tokens-file} must name the tokens. */
    public static TraceServer start(TagstreamConfig config, Clock clock) throws IOException {
        String file = config.get("api.tokens-file");
        if (file.isEmpty()) {
            throw new IllegalArgumentException("api.tokens-file is not set: the API needs a file of tenant=token lines");
        }
        TraceServer server = new TraceServer(config, TenantTokens.load(Path.of(file)), clock);
        server.server.start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        TraceServer server = start(config, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "trace-server-shutdown"));
        System.out.printf("Tagstream trace API on http://%s:%d/v1 for %d tenants; docs/api/trace-api.yaml describes it%n",
                config.get("api.bind-address"), server.port(), server.tokens.size());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(1);
        threads.shutdown();
        pool.close();
    }

    /** A route: the query it asks, and the tenant, content and tag the path names. */
    record Route(TraceQuery query, String tenant, String contentId, String tag) {}

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        int status;
        try {
            status = answer(exchange);
        } catch (RuntimeException | IOException e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            status = send(exchange, 500, error("internal error; the server log has the details"));
        } finally {
            exchange.close();
        }
        LOG.info("{} {} {} {}ms", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), status,
                (System.nanoTime() - start) / 1_000_000);
    }

    private int answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/health")) {
            return send(exchange, 200, Map.of("status", "ok"));
        }
        Route route;
        Map<String, String> params;
        try {
            route = route(path);
            params = queryParameters(exchange.getRequestURI().getRawQuery());
        } catch (QueryException e) {
            return send(exchange, e.status(), error(e.getMessage()));
        }
        if (route == null) {
            return send(exchange, 404, error("no such endpoint: " + path + "; docs/api/trace-api.yaml lists them"));
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().add("Allow", "GET");
            return send(exchange, 405, error("only GET is allowed here"));
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() == "Bearer ".length()) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
            return send(exchange, 401, error("send the tenant's token as 'Authorization: Bearer <token>'"));
        }
        if (!tokens.grants(route.tenant(), authorization.substring("Bearer ".length()).strip())) {
            return send(exchange, 403, error("the token does not grant access to tenant '" + route.tenant() + "'"));
        }
        return run(exchange, route, params);
    }

    private int run(HttpExchange exchange, Route route, Map<String, String> params) throws IOException {
        Connection c;
        try {
            c = pool.borrow();
        } catch (SQLException e) {
            LOG.error("cannot reach the database", e);
            return send(exchange, 503, error("the database is unavailable"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return send(exchange, 503, error("the server is shutting down"));
        }
        boolean broken = false;
        try {
            Object answer = route.query().run(new TraceContext(c, exporter, clock), route.tenant(), route.contentId(),
                    route.tag(), params);
            return send(exchange, 200, answer);
        } catch (QueryException e) {
            Map<String, Object> body = error(e.getMessage());
            if (e.detail() != null) {
                body.put("tombstone", e.detail());
            }
            return send(exchange, e.status(), body);
        } catch (SQLException e) {
            broken = true;
            LOG.error("{} failed in the database", route.query(), e);
            return send(exchange, 500, error("internal error; the server log has the details"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return send(exchange, 503, error("the server is shutting down"));
        } finally {
            pool.release(c, broken);
        }
    }

    /** The route a raw path names, {@code null} when none; path segments are percent-decoded. */
    static Route route(String rawPath) {
        List<String> s = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            s.add(decode(segment, true));
        }
        // s.get(0) is the empty string before the leading slash
        if (s.size() < 5 || !s.get(0).isEmpty() || !s.get(1).equals("v1") || !s.get(2).equals("tenants")) {
            return null;
        }
        String tenant = s.get(3);
        List<String> rest = s.subList(4, s.size());
        if (rest.size() == 1 && rest.get(0).equals("trending")) {
            return new Route(TraceQuery.TRENDING, tenant, null, null);
        }
        if (rest.size() == 3 && rest.get(0).equals("contents")) {
            TraceQuery query = switch (rest.get(2)) {
                case "tags" -> TraceQuery.CONTENT_TAGS;
                case "history" -> TraceQuery.CONTENT_HISTORY;
                case "export" -> TraceQuery.CONTENT_EXPORT;
                default -> null;
            };
            return query == null ? null : new Route(query, tenant, rest.get(1), null);
        }
        if (rest.size() == 5 && rest.get(0).equals("contents") && rest.get(2).equals("tags") && rest.get(4).equals("lineage")) {
            return new Route(TraceQuery.TAG_LINEAGE, tenant, rest.get(1), rest.get(3));
        }
        if (rest.size() == 3 && rest.get(0).equals("tags")) {
            TraceQuery query = switch (rest.get(2)) {
                case "contents" -> TraceQuery.TAG_CONTENTS;
                case "count" -> TraceQuery.TAG_COUNT;
                case "evolution" -> TraceQuery.TAG_EVOLUTION;
                default -> null;
            };
            return query == null ? null : new Route(query, tenant, null, rest.get(1));
        }
        return null;
    }

    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), false);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), false);
            if (params.put(name, value) != null) {
                throw QueryException.badRequest("parameter '" + name + "' is given more than once");
            }
        }
        return params;
    }

    /** Percent-decoding; in a path a '+' is itself, in a query string a space. */
    private static String decode(String raw, boolean path) {
        try {
            return URLDecoder.decode(path ? raw.replace("+", "%2B") : raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw QueryException.badRequest("malformed percent-encoding in '" + raw + "'");
        }
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return body;
    }

    private static int send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json = body instanceof TraceContext.ExportBytes export ? export.json() : Json.toBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
        return status;
    }
}
