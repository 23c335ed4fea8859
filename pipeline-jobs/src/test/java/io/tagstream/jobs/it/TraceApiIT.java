package io.tagstream.jobs.it;

import static io.tagstream.jobs.it.TagLog.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.jobs.query.TraceCommand;
import io.tagstream.jobs.query.TraceServer;
import io.tagstream.schemas.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tagstream.schemas.TagStat;
import io.tagstream.sinks.postgres.TagStatStatement;
import io.tagstream.udfs.weights.TagWeighting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trace API against the real PostgreSQL: a log written with the tagging job's own diff and
 * sink statement — updates, a taxonomy merge, a delete, a second tenant with the same content id
 * and tag — asked both ways through HTTP, with tokens, and through the command line.
 */
class TraceApiIT {
    private static final String ACME_TOKEN = "acme-token-0123456789";
    private static final String GLOBEX_TOKEN = "globex-token-0123456789";
    private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** When the weights job last updated the tag_stats rows of this test. */
    private static final Instant STATS_AT = Instant.parse("2026-01-02T12:00:00Z");

    @TempDir
    static Path dir;

    private static TagstreamConfig config;
    private static TraceServer server;

    @BeforeAll
    static void logAndServer() throws Exception {
        config = LocalStack.isolatedConfig("trace_api_it");
        try (Connection c = config.postgres().open()) {
            TagLog log = new TagLog(c);
            log.upsert("acme", "post-1", 1, at("2026-01-01T10:00:00Z"), tag("topic::kafka", 0.6), tag("content_type::tutorial", 0.7));
            log.upsert("acme", "post-2", 1, at("2026-01-01T11:00:00Z"), tag("topic::kafka", 0.95));
            log.upsert("acme", "post-3", 1, at("2026-01-02T09:00:00Z"), tag("topic::kafka", 0.5));
            log.upsert("acme", "post-1", 2, at("2026-01-02T10:00:00Z"), tag("topic::kafka", 0.9), tag("topic::flink", 0.8));
            log.merge("acme", "post-1", "topic::flink", "topic::stream-processing", at("2026-01-03T10:00:00Z"));
            log.delete("acme", "post-1", 3, at("2026-01-04T10:00:00Z"));
            double[] java = {0.9, 0.8, 0.8, 0.8, 0.7, 0.6, 0.5};
            for (int i = 1; i <= java.length; i++) {
                log.upsert("acme", "java-" + i, 1, at("2026-01-05T00:00:00Z").plus(Duration.ofHours(i)),
                        tag("topic::java", java[i - 1]));
            }
            log.upsert("globex", "post-1", 1, at("2026-01-01T10:00:00Z"), tag("topic::kafka", 0.99), tag("topic::secret", 0.9));
            try (PreparedStatement ps = c.prepareStatement(TagStatStatement.SQL)) {
                for (TagStat stat : List.of(stat("acme", "topic::java", "topic", 5.1, 0.5, 7),
                        stat("acme", "topic::kafka", "topic", 3.2, 3.0, 4),
                        stat("acme", "content_type::tutorial", "content_type", 0.4, 0.4, 1),
                        stat("globex", "topic::secret", "topic", 99, 99, 1))) {
                    new TagStatStatement().accept(ps, stat);
                    ps.executeUpdate();
                }
            }
        }
        Path tokens = dir.resolve("tokens.properties");
        Files.writeString(tokens, "acme=" + ACME_TOKEN + "\nglobex=" + GLOBEX_TOKEN + "\n");
        config = config.with(Map.of("api.port", "0", "api.tokens-file", tokens.toString(), "api.threads", "2"));
        server = TraceServer.start(config, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- content -> tags ----------------------------------------------------------------------

    @ParameterizedTest(name = "as of {0}")
    @CsvSource(delimiter = '|', value = {
        "2025-12-31T23:59:59Z | 0 | 0 | false | ''",
        "2026-01-01T10:00:00Z | 1 | 1 | false | content_type::tutorial 0.7 since 2026-01-01T10:00:00Z, topic::kafka 0.6 since 2026-01-01T10:00:00Z",
        "2026-01-02T09:59:59Z | 1 | 1 | false | content_type::tutorial 0.7 since 2026-01-01T10:00:00Z, topic::kafka 0.6 since 2026-01-01T10:00:00Z",
        "2026-01-02T10:00:00Z | 2 | 2 | false | topic::kafka 0.9 since 2026-01-01T10:00:00Z, topic::flink 0.8 since 2026-01-02T10:00:00Z",
        "2026-01-03T12:00:00+02:00 | 3 | 2 | false | topic::kafka 0.9 since 2026-01-01T10:00:00Z, topic::stream-processing 0.8 since 2026-01-03T10:00:00Z",
        "2026-01-05 | 4 | 3 | true | ''",
    })
    void contentTagsAsOfAnyMomentAcrossUpdatesAMergeAndADelete(String asOf, long tagVersion, long contentVersion,
            boolean deleted, String tags) throws Exception {
        JsonNode answer = ok("/v1/tenants/acme/contents/post-1/tags?as_of=" + encode(asOf), ACME_TOKEN);

        assertThat(answer.path("tag_version").asLong()).isEqualTo(tagVersion);
        assertThat(answer.path("content_version").asLong()).isEqualTo(contentVersion);
        assertThat(answer.path("deleted").asBoolean()).isEqualTo(deleted);
        assertThat(answer.path("as_of").asText()).isEqualTo(Instant.from(
                java.time.format.DateTimeFormatter.ISO_DATE_TIME.parse(asOf.length() == 10 ? asOf + "T00:00:00Z" : asOf)).toString());
        assertThat(String.join(", ", carried(answer))).isEqualTo(tags);
    }

    @Test
    void contentTagsNowComeFromTheCurrentStateAndAgreeWithTheLog() throws Exception {
        JsonNode deleted = ok("/v1/tenants/acme/contents/post-1/tags", ACME_TOKEN);
        assertThat(deleted.path("tag_version").asLong()).isEqualTo(4);
        assertThat(deleted.path("deleted").asBoolean()).isTrue();
        assertThat(deleted.path("tags")).isEmpty();
        assertThat(deleted.has("as_of")).isFalse();

        JsonNode now = ok("/v1/tenants/acme/contents/post-2/tags", ACME_TOKEN);
        JsonNode asOfNow = ok("/v1/tenants/acme/contents/post-2/tags?as_of=" + NOW, ACME_TOKEN);
        assertThat(carried(now)).containsExactly("topic::kafka 0.95 since 2026-01-01T11:00:00Z");
        assertThat(carried(asOfNow)).isEqualTo(carried(now));
        JsonNode kafka = now.path("tags").get(0);
        assertThat(kafka.path("dimension").asText()).isEqualTo("topic");
        assertThat(kafka.path("source").asText()).isEqualTo("rule");
        assertThat(kafka.path("model").asText()).isEqualTo("keywords/1");
        assertThat(kafka.path("reason").asText()).isEqualTo("matched kafka");
        assertThat(asOfNow.path("tags").get(0).path("taxonomy_version").asText()).isEqualTo(TagLog.TAXONOMY);
    }

    @Test
    void historyShowsEveryVersionWithWhatChangedByWhomAndWhy() throws Exception {
        JsonNode history = ok("/v1/tenants/acme/contents/post-1/history", ACME_TOKEN);

        List<String> lines = new ArrayList<>();
        for (JsonNode version : history.path("versions")) {
            for (JsonNode change : version.path("changes")) {
                lines.add(String.format("v%d c%d %s%s %s %s %s %s %s", version.path("tag_version").asLong(),
                        version.path("content_version").asLong(), version.path("deleted").asBoolean() ? "deleted " : "",
                        change.path("action").asText(), change.path("tag").asText(), change.path("confidence").asText(),
                        change.path("previous_confidence").asText("-"), change.path("source").asText(),
                        change.path("reason").asText()));
            }
        }
        assertThat(lines).containsExactly(
                "v1 c1 ADDED content_type::tutorial 0.7 - rule matched tutorial",
                "v1 c1 ADDED topic::kafka 0.6 - rule matched kafka",
                "v2 c2 REMOVED content_type::tutorial 0.0 0.7 rule no longer proposed for content version 2",
                "v2 c2 ADDED topic::flink 0.8 - rule matched flink",
                "v2 c2 UPDATED topic::kafka 0.9 0.6 rule matched kafka",
                "v3 c2 REMOVED topic::flink 0.0 0.8 taxonomy taxonomy merged topic::flink into topic::stream-processing",
                "v3 c2 ADDED topic::stream-processing 0.8 - taxonomy taxonomy merged topic::flink into topic::stream-processing",
                "v4 c3 deleted REMOVED topic::kafka 0.0 0.9 rule content deleted",
                "v4 c3 deleted REMOVED topic::stream-processing 0.0 0.8 taxonomy content deleted");
        assertThat(history.path("versions").get(2).path("changes").get(1).path("taxonomy_version").asText())
                .isEqualTo("tx-test-2");
        assertThat(history.path("versions").get(0).path("changes").get(0).path("model").asText()).isEqualTo("keywords/1");
    }

    @Test
    void lineageOfOneTagOnOneContent() throws Exception {
        JsonNode lineage = ok("/v1/tenants/acme/contents/post-1/tags/topic::kafka/lineage", ACME_TOKEN);

        assertThat(lineage.path("carried_now").asBoolean()).isFalse();
        assertThat(lineage.path("changes")).extracting(c -> c.path("tag_version").asLong() + " " + c.path("action").asText()
                        + " " + c.path("confidence").asText() + " " + c.path("occurred_at").asText())
                .containsExactly("1 ADDED 0.6 2026-01-01T10:00:00Z", "2 UPDATED 0.9 2026-01-02T10:00:00Z",
                        "4 REMOVED 0.0 2026-01-04T10:00:00Z");
        JsonNode carried = ok("/v1/tenants/acme/contents/post-2/tags/topic::kafka/lineage", ACME_TOKEN);
        assertThat(carried.path("carried_now").asBoolean()).isTrue();
        JsonNode never = ok("/v1/tenants/acme/contents/post-2/tags/topic::java/lineage", ACME_TOKEN);
        assertThat(never.path("carried_now").asBoolean()).isFalse();
        assertThat(never.path("changes")).isEmpty();
    }

    // ---- tag -> contents ----------------------------------------------------------------------

    @Test
    void contentsOfATagRankedByConfidenceAndPagedWithoutGapsOrRepeats() throws Exception {
        JsonNode first = ok("/v1/tenants/acme/tags/topic::java/contents?limit=3", ACME_TOKEN);
        JsonNode second = ok("/v1/tenants/acme/tags/topic::java/contents?limit=3&cursor=" + first.path("next_cursor").asText(), ACME_TOKEN);
        JsonNode third = ok("/v1/tenants/acme/tags/topic::java/contents?limit=3&cursor=" + second.path("next_cursor").asText(), ACME_TOKEN);

        assertThat(ids(first)).containsExactly("java-1 0.9", "java-4 0.8", "java-3 0.8");
        assertThat(ids(second)).containsExactly("java-2 0.8", "java-5 0.7", "java-6 0.6");
        assertThat(ids(third)).containsExactly("java-7 0.5");
        assertThat(third.has("next_cursor")).isFalse();
        assertThat(first.path("order").asText()).isEqualTo("confidence");
    }

    @Test
    void contentsOfATagByRecencyWithinATimeRangeAndFiltered() throws Exception {
        assertThat(ids(ok("/v1/tenants/acme/tags/topic::java/contents?order=recency&since=2026-01-05T03:00:00Z"
                + "&until=2026-01-05T06:00:00Z", ACME_TOKEN))).containsExactly("java-5 0.7", "java-4 0.8", "java-3 0.8");
        assertThat(ids(ok("/v1/tenants/acme/tags/topic::java/contents?order=RECENCY&limit=2", ACME_TOKEN)))
                .containsExactly("java-7 0.5", "java-6 0.6");
        assertThat(ids(ok("/v1/tenants/acme/tags/topic::java/contents?min_confidence=0.8&dimension=topic", ACME_TOKEN)))
                .containsExactly("java-1 0.9", "java-4 0.8", "java-3 0.8", "java-2 0.8");
        assertThat(ids(ok("/v1/tenants/acme/tags/topic::java/contents?dimension=mood", ACME_TOKEN))).isEmpty();
        // a deleted content no longer carries its tags
        assertThat(ids(ok("/v1/tenants/acme/tags/topic::kafka/contents", ACME_TOKEN)))
                .containsExactly("post-2 0.95", "post-3 0.5");
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
        "topic::kafka, 2026-01-01T09:59:59Z, 0",
        "topic::kafka, 2026-01-01T10:30:00Z, 1",
        "topic::kafka, 2026-01-02T09:30:00Z, 3",
        "topic::kafka, 2026-01-04T12:00:00Z, 2",
        "topic::flink, 2026-01-02T12:00:00Z, 1",
        "topic::flink, 2026-01-03T12:00:00Z, 0",
        "topic::stream-processing, 2026-01-03T12:00:00Z, 1",
        "topic::stream-processing, 2026-01-04T12:00:00Z, 0",
        "topic::secret, 2026-01-05T00:00:00Z, 0",
    })
    void howManyContentsCarriedATagAtAMoment(String tag, String at, long expected) throws Exception {
        JsonNode count = ok("/v1/tenants/acme/tags/" + tag + "/count?at=" + at, ACME_TOKEN);

        assertThat(count.path("contents").asLong()).isEqualTo(expected);
        assertThat(count.path("at").asText()).isEqualTo(at);
    }

    @Test
    void countNowAgreesWithTheCurrentState() throws Exception {
        assertThat(ok("/v1/tenants/acme/tags/topic::kafka/count", ACME_TOKEN).path("contents").asLong()).isEqualTo(2);
        assertThat(ok("/v1/tenants/acme/tags/topic::java/count", ACME_TOKEN).path("contents").asLong()).isEqualTo(7);
        assertThat(ok("/v1/tenants/globex/tags/topic::kafka/count", GLOBEX_TOKEN).path("contents").asLong()).isEqualTo(1);
    }

    @Test
    void evolutionOfATagDayByDayWithItsDecayedWeight() throws Exception {
        JsonNode evolution = ok("/v1/tenants/acme/tags/topic::kafka/evolution?from=2026-01-01&to=2026-01-04&half_life=P1D",
                ACME_TOKEN);

        assertThat(evolution.path("days")).extracting(d -> d.path("day").asText() + " +" + d.path("added").asInt()
                        + " -" + d.path("removed").asInt() + " ~" + d.path("updated").asInt() + " =" + d.path("contents").asLong())
                .containsExactly("2026-01-01 +2 -0 ~0 =2", "2026-01-02 +1 -0 ~1 =3", "2026-01-03 +0 -0 ~0 =3",
                        "2026-01-04 +0 -1 ~0 =2");
        // Σ confidence · 2^(−age / half-life) over the additions, at each day's end
        double[] expected = new double[4];
        String[][] additions = {{"2026-01-01T10:00:00Z", "0.6"}, {"2026-01-01T11:00:00Z", "0.95"}, {"2026-01-02T09:00:00Z", "0.5"}};
        for (int day = 0; day < 4; day++) {
            Instant end = at("2026-01-02T00:00:00Z").plus(Duration.ofDays(day));
            for (String[] addition : additions) {
                Instant added = at(addition[0]);
                if (added.isBefore(end)) {
                    expected[day] += Double.parseDouble(addition[1])
                            * Math.pow(2, -Duration.between(added, end).toSeconds() / 86_400.0);
                }
            }
        }
        for (int day = 0; day < 4; day++) {
            assertThat(evolution.path("days").get(day).path("weight").asDouble()).isCloseTo(expected[day], within(1e-9));
        }
        assertThat(evolution.path("half_life").asText()).isEqualTo("PT24H");
    }

    @Test
    void trendingShowsTheHeaviestTagsAndTheFastestRisingAsTheWeightsJobStoredThem() throws Exception {
        JsonNode trending = ok("/v1/tenants/acme/trending?at=" + STATS_AT, ACME_TOKEN);

        assertThat(trending.path("top")).extracting(t -> t.path("tag").asText() + " " + t.path("weight").asDouble())
                .containsExactly("topic::java 5.1", "topic::kafka 3.2", "content_type::tutorial 0.4");
        // rising per day = ln 2 · (trend weight / 1 day − weight / 7 days) in uses per day: java is fading
        assertThat(trending.path("rising")).extracting(t -> t.path("tag").asText()).containsExactly(
                "topic::kafka", "content_type::tutorial");
        assertThat(trending.path("rising").get(0).path("rising_per_day").asDouble())
                .isCloseTo(Math.log(2) * (3.0 - 3.2 / 7), within(1e-9));
        assertThat(trending.path("rising").get(1).path("rising_per_day").asDouble())
                .isCloseTo(Math.log(2) * (0.4 - 0.4 / 7), within(1e-9));

        JsonNode contentTypes = ok("/v1/tenants/acme/trending?dimension=content_type&at=" + STATS_AT, ACME_TOKEN);
        assertThat(contentTypes.path("top")).extracting(t -> t.path("tag").asText()).containsExactly("content_type::tutorial");
        assertThat(contentTypes.path("dimension").asText()).isEqualTo("content_type");
        // by default, now: 7.5 days after the stats, every weight has decayed by 2^(-7.5/7)
        JsonNode now = ok("/v1/tenants/acme/trending?limit=1", ACME_TOKEN);
        assertThat(now.path("at").asText()).isEqualTo(NOW.toString());
        assertThat(now.path("top")).singleElement().satisfies(t -> {
            assertThat(t.path("tag").asText()).isEqualTo("topic::java");
            assertThat(t.path("weight").asDouble()).isCloseTo(5.1 * Math.pow(2, -7.5 / 7), within(1e-9));
        });
    }

    // ---- tenants and tokens -------------------------------------------------------------------

    @Test
    void aTenantNeverSeesAnotherTenantsData() throws Exception {
        JsonNode globex = ok("/v1/tenants/globex/contents/post-1/tags", GLOBEX_TOKEN);
        assertThat(carried(globex)).containsExactly("topic::kafka 0.99 since 2026-01-01T10:00:00Z",
                "topic::secret 0.9 since 2026-01-01T10:00:00Z");
        assertThat(ids(ok("/v1/tenants/acme/tags/topic::secret/contents", ACME_TOKEN))).isEmpty();
        assertThat(ids(ok("/v1/tenants/globex/tags/topic::kafka/contents", GLOBEX_TOKEN))).containsExactly("post-1 0.99");
        assertThat(ok("/v1/tenants/acme/trending", ACME_TOKEN).path("top")).extracting(t -> t.path("tag").asText())
                .doesNotContain("topic::secret");
        assertThat(get("/v1/tenants/globex/contents/post-2/tags", GLOBEX_TOKEN).statusCode()).isEqualTo(404);
        assertThat(ok("/v1/tenants/globex/contents/post-1/history", GLOBEX_TOKEN).path("versions")).hasSize(1);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "/v1/tenants/acme/contents/post-1/tags, none, 401",
        "/v1/tenants/acme/contents/post-1/tags, Basic YWNtZTp4, 401",
        "/v1/tenants/acme/contents/post-1/tags, Bearer , 401",
        "/v1/tenants/acme/contents/post-1/tags, Bearer wrong-token-0123456789, 403",
        "/v1/tenants/acme/contents/post-1/tags, Bearer globex-token-0123456789, 403",
        "/v1/tenants/globex/contents/post-1/tags, Bearer acme-token-0123456789, 403",
        "/v1/tenants/initech/trending, Bearer acme-token-0123456789, 403",
        "/v1/tenants/acme/contents/post-1/tags, Bearer acme-token-0123456789, 200",
    })
    void everyRouteNeedsTheTenantsOwnToken(String path, String authorization, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
        if (!authorization.equals("none")) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).doesNotContain(ACME_TOKEN).doesNotContain(GLOBEX_TOKEN);
        if (status == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
    }

    // ---- bad requests -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/v1/tenants/acme/contents/post-1/tags?as_of=yesterday | 400 | as_of must be an ISO-8601 time such as 2026-11-01T10:00:00Z or a date such as 2026-11-01, was 'yesterday'",
        "/v1/tenants/acme/contents/post-1/tags?asof=2026-01-01 | 400 | unknown parameter 'asof'; known: as_of",
        "/v1/tenants/acme/contents/post-1/history?as_of=2026-01-01 | 400 | unknown parameter 'as_of'; this query takes none",
        "/v1/tenants/acme/tags/topic::java/contents?limit=0 | 400 | limit must be a whole number from 1 to 500, was '0'",
        "/v1/tenants/acme/tags/topic::java/contents?limit=10&limit=20 | 400 | parameter 'limit' is given more than once",
        "/v1/tenants/acme/tags/topic::java/contents?min_confidence=1.5 | 400 | min_confidence must be a number from 0 to 1, was '1.5'",
        "/v1/tenants/acme/tags/topic::java/contents?min_confidence=NaN | 400 | min_confidence must be a number from 0 to 1, was 'NaN'",
        "/v1/tenants/acme/tags/topic::java/contents?order=popularity | 400 | order must be one of confidence, recency, was 'popularity'",
        "/v1/tenants/acme/tags/topic::java/contents?cursor=bm90LWpzb24 | 400 | cursor is not one this API returned",
        "/v1/tenants/acme/tags/topic::java/contents?since=2026-01-06&until=2026-01-05 | 400 | since must be before until",
        "/v1/tenants/acme/tags/topic%00x/contents | 400 | tag contains a control character",
        "/v1/tenants/acme/tags/topic::java/evolution?from=2025-01-01&to=2026-01-05 | 400 | from and to may span at most 366 days",
        "/v1/tenants/acme/tags/topic::java/evolution?half_life=7 | 400 | half_life must be an ISO-8601 duration from PT1M to PT87600H such as P7D or PT6H, was '7'",
        "/v1/tenants/acme/trending?window=P1D | 400 | unknown parameter 'window'; known: at, dimension, limit",
        "/v1/tenants/acme/trending?limit=x | 400 | limit must be a whole number from 1 to 100, was 'x'",
        "/v1/tenants/acme/contents/nope/tags | 404 | tenant 'acme' has no tag events for content 'nope'",
        "/v1/tenants/acme/contents/nope/history | 404 | tenant 'acme' has no tag events for content 'nope'",
        "/v1/tenants/acme/contents/post-1/everything | 404 | no such endpoint: /v1/tenants/acme/contents/post-1/everything; docs/api/trace-api.yaml lists them",
        "/v2/anything | 404 | no such endpoint: /v2/anything; docs/api/trace-api.yaml lists them",
    })
    void badParametersGetAClear4xxNeverA500(String path, int status, String message) throws Exception {
        HttpResponse<String> response = get(path, ACME_TOKEN);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(Json.mapper().readTree(response.body()).path("error").asText()).isEqualTo(message);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
    }

    @Test
    void onlyGetIsAllowed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/tenants/acme/trending"))
                .header("Authorization", "Bearer " + ACME_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void contentIdsAndTagsWithReservedCharactersArePercentEncodedPathSegments() throws Exception {
        try (Connection c = config.postgres().open()) {
            new TagLog(c).upsert("acme", "docs/a b+c", 1, at("2026-01-06T00:00:00Z"), tag("topic::c/c++", 0.7));
        }
        assertThat(carried(ok("/v1/tenants/acme/contents/docs%2Fa%20b+c/tags", ACME_TOKEN)))
                .containsExactly("topic::c/c++ 0.7 since 2026-01-06T00:00:00Z");
        assertThat(ids(ok("/v1/tenants/acme/tags/topic::c%2Fc++/contents", ACME_TOKEN))).containsExactly("docs/a b+c 0.7");
    }

    // ---- command line -------------------------------------------------------------------------

    @Test
    void theCommandLineAsksTheSameQueriesAndPrintsTheApisJsonOrText() throws Exception {
        String json = trace("content", "acme", "post-1", "--as-of", "2026-01-02T12:00:00Z", "--json");
        assertThat(Json.mapper().readTree(json))
                .isEqualTo(ok("/v1/tenants/acme/contents/post-1/tags?as_of=2026-01-02T12:00:00Z", ACME_TOKEN));

        String text = trace("content", "acme", "post-1", "--as-of", "2026-01-02T12:00:00Z");
        assertThat(text.lines()).containsExactly(
                "acme/post-1 as of 2026-01-02T12:00:00Z: tag version 2 (content version 2, changed 2026-01-02T10:00:00Z)",
                "  topic::kafka                     topic          0.900  rule      since 2026-01-01T10:00:00Z  matched kafka  [keywords/1]",
                "  topic::flink                     topic          0.800  rule      since 2026-01-02T10:00:00Z  matched flink  [keywords/1]");

        assertThat(trace("tag", "acme", "topic::java", "--limit", "2", "--min-confidence", "0.6").lines())
                .startsWith("acme, tag topic::java: 2 contents by confidence")
                .anySatisfy(l -> assertThat(l).startsWith("next page: --cursor "));
        assertThat(trace("tag", "acme", "topic::kafka", "--count", "--at", "2026-01-02T09:30:00Z"))
                .isEqualTo("acme, tag topic::kafka: 3 contents at 2026-01-02T09:30:00Z\n");
        assertThat(trace("content", "acme", "post-1", "--history").lines()).hasSize(1 + 4 + 9);
        assertThat(trace("trending", "acme", "--at", "2026-01-02T12:00:00Z", "--json"))
                .contains("\"rising_per_day\"").contains("\"tag\" : \"topic::kafka\"");
    }

    @Test
    void theCommandLineRefusesBadInputWithTheSameMessages() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TraceCommand.run(
                new String[] {"tag", "acme", "topic::java", "--limit", "0"}, print(out), print(err), env());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("trace: limit must be a whole number from 1 to 500, was '0'\n");
        assertThat(TraceCommand.run(new String[] {"content", "acme", "nope"}, print(out), print(err), env()))
                .isEqualTo(1);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A tag's stat as the weights job writes it: half-life 7 days, trend half-life 1 day. */
    private static TagStat stat(String tenant, String tag, String dimension, double weight, double trendWeight, long uses) {
        long halfLife = Duration.ofDays(7).toMillis();
        long trendHalfLife = Duration.ofDays(1).toMillis();
        long at = STATS_AT.toEpochMilli();
        return new TagStat(tenant, tag, dimension, weight, trendWeight, uses, Math.log1p(uses), STATS_AT, 0, List.of(),
                STATS_AT, halfLife, trendHalfLife, TagWeighting.decayRank(weight, at, halfLife),
                TagWeighting.decayRank(trendWeight, at, trendHalfLife), 1);
    }

    private static String trace(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TraceCommand.run(args, print(out), print(err), env());
        assertThat(exit).as("exit code; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The test's configuration as the environment variables the command line reads. */
    private static Map<String, String> env() throws Exception {
        Map<String, String> env = new HashMap<>();
        config.printable().forEach((key, value) -> {
            if (!key.equals("postgres.password")) {
                env.put(TagstreamConfig.envName(key), value);
            }
        });
        env.put("TAGSTREAM_POSTGRES_PASSWORD", config.postgres().password());
        return env;
    }

    private static List<String> carried(JsonNode answer) {
        List<String> tags = new ArrayList<>();
        answer.path("tags").forEach(t -> tags.add(t.path("tag").asText() + " " + t.path("confidence").asText()
                + " since " + t.path("tagged_at").asText()));
        return tags;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("contents").forEach(c -> ids.add(c.path("content_id").asText() + " " + c.path("confidence").asText()));
        return ids;
    }

    private static JsonNode ok(String path, String token) throws Exception {
        HttpResponse<String> response = get(path, token);
        assertThat(response.statusCode()).as("%s answered %s", path, response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
