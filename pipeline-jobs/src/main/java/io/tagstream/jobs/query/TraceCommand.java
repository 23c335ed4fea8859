package io.tagstream.jobs.query;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.privacy.PrivacyExport;
import io.tagstream.schemas.json.Json;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code tagstream trace ...}: the trace queries on the command line, human-readable or
 * {@code --json} (the API's JSON). Options are the API's parameters with dashes:
 * {@code --as-of} is {@code as_of}.
 */
public final class TraceCommand {
    static final String USAGE = """
            usage: tagstream trace content TENANT CONTENT_ID [--as-of TIME] [--history] [--tag TAG] [--json]
                   tagstream trace tag TENANT TAG [--min-confidence X] [--dimension D] [--since TIME] [--until TIME]
                                                  [--order confidence|recency] [--limit N] [--cursor C] [--json]
                   tagstream trace tag TENANT TAG --count [--at TIME] [--json]
                   tagstream trace tag TENANT TAG --evolution [--from DATE] [--to DATE] [--half-life P7D] [--json]
                   tagstream trace trending TENANT [--dimension D] [--limit N] [--at TIME] [--json]
            TIME: 2026-11-01T10:00:00Z, 2026-11-01T12:00:00+02:00 or a date 2026-11-01 (its start, UTC)""";

    /** Options that choose the query or the output rather than being one of its parameters. */
    private static final Set<String> SWITCHES = Set.of("history", "json", "count", "evolution");

    private TraceCommand() {}

    /** A parsed command line: which query, for what, with which parameters. */
    record Invocation(TraceQuery query, String tenant, String contentId, String tag, Map<String, String> params,
            boolean json, Path config) {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** @return the exit code: 0 answered, 1 nothing there (or erased), 2 a bad command line */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) throws Exception {
        Invocation invocation;
        try {
            invocation = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("trace: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        TagstreamConfig config = TagstreamConfig.load(invocation.config(), env);
        PrivacyExport exporter = new PrivacyExport(new ElasticsearchBulk(config.get("elasticsearch.url")),
                config.get("elasticsearch.index-prefix") + "contents", Clock.systemUTC());
        try (Connection c = config.postgres().open()) {
            Object answer = invocation.query().run(new TraceContext(c, exporter, Clock.systemUTC()), invocation.tenant(),
                    invocation.contentId(), invocation.tag(), invocation.params());
            if (invocation.json()) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } else {
                out.print(TraceText.render(answer));
            }
            return 0;
        } catch (QueryException e) {
            err.println("trace: " + e.getMessage());
            if (e.detail() != null) {
                err.println(invocation.json() ? Json.toString(e.detail()) : TraceText.render(e.detail()));
            }
            return e.status() == 400 ? 2 : 1;
        }
    }

    static Invocation parse(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2).replace('-', '_');
            if (SWITCHES.contains(name)) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                if (options.put(name, args[++i]) != null) {
                    throw new IllegalArgumentException("--" + arg.substring(2) + " is given more than once");
                }
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        Path config = options.containsKey("config") ? Path.of(options.remove("config")) : null;
        boolean json = options.remove("json") != null;
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("say what to trace: content, tag or trending");
        }
        String what = positional.get(0).toLowerCase(Locale.ROOT);
        return switch (what) {
            case "content" -> {
                expect(positional, 3, "trace content TENANT CONTENT_ID");
                boolean history = options.remove("history") != null;
                String tag = options.remove("tag");
                if (history && tag != null) {
                    throw new IllegalArgumentException("--history and --tag cannot be combined");
                }
                TraceQuery query = history ? TraceQuery.CONTENT_HISTORY : tag != null ? TraceQuery.TAG_LINEAGE : TraceQuery.CONTENT_TAGS;
                yield new Invocation(query, positional.get(1), positional.get(2), tag, options, json, config);
            }
            case "tag" -> {
                expect(positional, 3, "trace tag TENANT TAG");
                boolean count = options.remove("count") != null;
                boolean evolution = options.remove("evolution") != null;
                if (count && evolution) {
                    throw new IllegalArgumentException("--count and --evolution cannot be combined");
                }
                TraceQuery query = count ? TraceQuery.TAG_COUNT : evolution ? TraceQuery.TAG_EVOLUTION : TraceQuery.TAG_CONTENTS;
                yield new Invocation(query, positional.get(1), null, positional.get(2), options, json, config);
            }
            case "trending" -> {
                expect(positional, 2, "trace trending TENANT");
                yield new Invocation(TraceQuery.TRENDING, positional.get(1), null, null, options, json, config);
            }
            default -> throw new IllegalArgumentException("cannot trace '" + positional.get(0)
                    + "': say content, tag or trending");
        };
    }

    private static void expect(List<String> positional, int count, String usage) {
        if (positional.size() != count) {
            throw new IllegalArgumentException("usage: " + usage + " (got " + String.join(" ", positional) + ")");
        }
    }
}
