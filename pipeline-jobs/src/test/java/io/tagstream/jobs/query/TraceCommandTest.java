package io.tagstream.jobs.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceCommandTest {

    @Test
    void contentAsOfBecomesTheContentTagsQueryWithTheApisParameterNames() {
        TraceCommand.Invocation invocation = TraceCommand.parse(new String[] {
            "content", "acme", "post-1", "--as-of", "2026-01-01", "--json", "--config", "/etc/tagstream.properties"});

        assertThat(invocation.query()).isEqualTo(TraceQuery.CONTENT_TAGS);
        assertThat(invocation.tenant()).isEqualTo("acme");
        assertThat(invocation.contentId()).isEqualTo("post-1");
        assertThat(invocation.params()).isEqualTo(Map.of("as_of", "2026-01-01"));
        assertThat(invocation.json()).isTrue();
        assertThat(invocation.config()).isEqualTo(Path.of("/etc/tagstream.properties"));
    }

    @Test
    void switchesChooseTheQuery() {
        assertThat(TraceCommand.parse(new String[] {"content", "acme", "c", "--history"}).query())
                .isEqualTo(TraceQuery.CONTENT_HISTORY);
        assertThat(TraceCommand.parse(new String[] {"content", "acme", "c", "--tag", "topic::kafka"}).query())
                .isEqualTo(TraceQuery.TAG_LINEAGE);
        assertThat(TraceCommand.parse(new String[] {"tag", "acme", "t", "--count", "--at", "2026-01-01"}).query())
                .isEqualTo(TraceQuery.TAG_COUNT);
        assertThat(TraceCommand.parse(new String[] {"tag", "acme", "t", "--evolution"}).query())
                .isEqualTo(TraceQuery.TAG_EVOLUTION);
        TraceCommand.Invocation page = TraceCommand.parse(new String[] {"tag", "acme", "t", "--min-confidence", "0.5",
            "--limit", "10"});
        assertThat(page.query()).isEqualTo(TraceQuery.TAG_CONTENTS);
        assertThat(page.params()).isEqualTo(Map.of("min_confidence", "0.5", "limit", "10"));
        assertThat(TraceCommand.parse(new String[] {"trending", "acme", "--dimension", "topic"}).params())
                .isEqualTo(Map.of("dimension", "topic"));
    }

    @Test
    void aWrongCommandLineSaysWhatIsWrong() {
        assertThatThrownBy(() -> TraceCommand.parse(new String[] {})).hasMessage("say what to trace: content, tag or trending");
        assertThatThrownBy(() -> TraceCommand.parse(new String[] {"content", "acme"}))
                .hasMessage("usage: trace content TENANT CONTENT_ID (got content acme)");
        assertThatThrownBy(() -> TraceCommand.parse(new String[] {"tag", "acme", "t", "--limit"}))
                .hasMessage("--limit needs a value");
        assertThatThrownBy(() -> TraceCommand.parse(new String[] {"tag", "acme", "t", "--count", "--evolution"}))
                .hasMessage("--count and --evolution cannot be combined");
        assertThatThrownBy(() -> TraceCommand.parse(new String[] {"users", "acme"}))
                .hasMessage("cannot trace 'users': say content, tag or trending");
    }
}
