package io.tagstream.jobs.privacy;

import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.query.QueryException;
import io.tagstream.jobs.query.QueryParams;
import io.tagstream.jobs.query.TraceViews.Tombstone;
import io.tagstream.sinks.elasticsearch.ElasticsearchBulk;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import org.apache.flink.api.java.utils.ParameterTool;

/**
 * {@code tagstream export TENANT [CONTENT_ID] [--out FILE]} and
 * {@code tagstream erase TENANT CONTENT_ID --requested-by WHO}.
 */
public final class PrivacyTool {
    private static final String USAGE = """
            usage: tagstream export TENANT [CONTENT_ID] [--out FILE]   everything stored about a tenant or a content, as JSON
                   tagstream erase TENANT CONTENT_ID --requested-by WHO  erase a content; a tombstone stays""";

    private PrivacyTool() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(options(args));
        String[] positional = positional(args);
        if (positional.length < 2) {
            fail("say export or erase, and a tenant");
        }
        boolean export = positional[0].equals("export");
        if (!export && !positional[0].equals("erase")) {
            fail("unknown command '" + positional[0] + "'");
        }
        if (export ? positional.length > 3 : positional.length != 3 || !params.has("requested-by")) {
            fail(export ? "export takes TENANT [CONTENT_ID]" : "erase needs TENANT CONTENT_ID --requested-by WHO");
        }
        TagstreamConfig config = TagstreamConfig.load(
                params.has("config") ? Path.of(params.get("config")) : null, System.getenv());
        ElasticsearchBulk elasticsearch = new ElasticsearchBulk(config.get("elasticsearch.url"));
        String contentsIndex = config.get("elasticsearch.index-prefix") + "contents";
        try (Connection c = config.postgres().open()) {
            run(c, params, positional, elasticsearch, contentsIndex);
        } catch (QueryException e) {
            fail(e.getMessage());
        }
    }

    private static void run(Connection c, ParameterTool params, String[] positional, ElasticsearchBulk elasticsearch,
            String contentsIndex) throws Exception {
        String tenant = QueryParams.identifier("tenant", positional[1]);
        switch (positional[0]) {
            case "export" -> {
                String contentId = positional.length > 2 ? QueryParams.identifier("content_id", positional[2]) : null;
                PrivacyExport export = new PrivacyExport(elasticsearch, contentsIndex, Clock.systemUTC());
                if (params.has("out")) {
                    Path file = Path.of(params.get("out"));
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                        long rows = export.write(c, tenant, contentId, out);
                        System.err.printf("exported %d rows to %s%n", rows, file);
                    }
                } else {
                    export.write(c, tenant, contentId, System.out);
                    System.out.println();
                }
            }
            case "erase" -> {
                Tombstone tombstone = new ContentErasure(elasticsearch, contentsIndex).erase(c, tenant,
                        QueryParams.identifier("content_id", positional[2]),
                        QueryParams.identifier("requested_by", params.get("requested-by")));
                System.out.printf("%s/%s erased at %s by %s: %d tag events purged (last tag version %d); "
                                + "current tags, dead letters and the contents document are gone, the tombstone stays%n",
                        tenant, tombstone.contentId(), tombstone.erasedAt(), tombstone.requestedBy(),
                        tombstone.eventsPurged(), tombstone.lastTagVersion());
            }
            default -> fail("unknown command '" + positional[0] + "'");
        }
    }

    /** The options and their values. */
    private static String[] options(String[] args) {
        java.util.List<String> options = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                options.add(args[i]);
                if (i + 1 < args.length) {
                    options.add(args[++i]);
                }
            }
        }
        return options.toArray(String[]::new);
    }

    /** The arguments that are not options or their values. */
    private static String[] positional(String[] args) {
        java.util.List<String> positional = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                i++;
            } else {
                positional.add(args[i]);
            }
        }
        return positional.toArray(String[]::new);
    }

    private static void fail(String message) {
        System.err.println(message);
        System.err.println(USAGE);
        System.exit(2);
    }
}
