package io.tagstream.jobs.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceServerTest {

    @Test
    void routesNameTheQueryAndDecodeEachPathSegment() {
        assertThat(TraceServer.route("/v1/tenants/acme/contents/docs%2Fa%20b+c/tags"))
                .isEqualTo(new TraceServer.Route(TraceQuery.CONTENT_TAGS, "acme", "docs/a b+c", null));
        assertThat(TraceServer.route("/v1/tenants/acme/contents/c1/tags/topic::kafka/lineage"))
                .isEqualTo(new TraceServer.Route(TraceQuery.TAG_LINEAGE, "acme", "c1", "topic::kafka"));
        assertThat(TraceServer.route("/v1/tenants/acme/tags/topic%3A%3Ac%2B%2B/contents"))
                .isEqualTo(new TraceServer.Route(TraceQuery.TAG_CONTENTS, "acme", null, "topic::c++"));
        assertThat(TraceServer.route("/v1/tenants/acme/trending"))
                .isEqualTo(new TraceServer.Route(TraceQuery.TRENDING, "acme", null, null));
        assertThat(TraceServer.route("/v1/tenants/acme/contents/c1")).isNull();
        assertThat(TraceServer.route("/v1/tenants/acme/trending/x")).isNull();
        assertThat(TraceServer.route("/tenants/acme/trending")).isNull();
    }

    @Test
    void queryStringsDecodePlusAsSpaceAndRefuseRepeats() {
        assertThat(TraceServer.queryParameters("as_of=2026-01-01T12%3A00%3A00%2B02%3A00&dimension=a+b"))
                .isEqualTo(Map.of("as_of", "2026-01-01T12:00:00+02:00", "dimension", "a b"));
        assertThat(TraceServer.queryParameters(null)).isEmpty();
        assertThatThrownBy(() -> TraceServer.queryParameters("limit=1&limit=2"))
                .hasMessage("parameter 'limit' is given more than once");
        assertThatThrownBy(() -> TraceServer.queryParameters("as_of=%ZZ"))
                .hasMessage("malformed percent-encoding in '%ZZ'");
    }

    @Test
    void tokensGrantTheirOwnTenantOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "acme = acme-token-0123456789\nglobex=globex-token-0123456789\n");
        TenantTokens tokens = TenantTokens.load(file);

        assertThat(tokens.grants("acme", "acme-token-0123456789")).isTrue();
        assertThat(tokens.grants("acme", "globex-token-0123456789")).isFalse();
        assertThat(tokens.grants("initech", "acme-token-0123456789")).isFalse();
        assertThat(tokens.grants("acme", "acme-token-012345678")).isFalse();
        assertThat(tokens.toString()).isEqualTo("TenantTokens[2 tenants]");
    }

    @Test
    void shortTokensAndEmptyFilesAreRefused(@TempDir Path dir) throws Exception {
        Path weak = dir.resolve("weak");
        Files.writeString(weak, "acme=short\n");
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "# no tokens yet\n");

        assertThatThrownBy(() -> TenantTokens.load(weak))
                .hasMessage(weak + ": the token of tenant 'acme' is shorter than 16 characters");
        assertThatThrownBy(() -> TenantTokens.load(empty)).hasMessage(empty + " holds no tokens; add lines tenant=token");
    }
}
