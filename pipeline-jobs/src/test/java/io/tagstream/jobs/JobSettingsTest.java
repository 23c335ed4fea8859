package io.tagstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theJobReadsTheStackSettingsWithTheSubmittingShellsVariablesApplied() throws Exception {
        Path stack = dir.resolve("tagstream.properties");
        Files.writeString(stack, "postgres.url=jdbc:postgresql://127.0.0.1:5432/tagstream\n"
                + "postgres.password-file=/secrets/postgres.password\ntagging.top-k=4\n", StandardCharsets.UTF_8);
        Map<String, String> shell = Map.of("TAGSTREAM_TAGGING_TAGGER", "rules", "TAGSTREAM_CHECKPOINT_INTERVAL_MS", "1000",
                "TAGSTREAM_POSTGRES_PASSWORD", "s3cret", "TAGSTREAM_DATASETS", "/not/a/setting");
        TagstreamConfig submitted = TagstreamConfig.load(stack, shell);

        Path settings = dir.resolve("job-settings/tagstream-tagging.properties");
        submitted.store(settings, "test");
        // what the job sees on the JobManager: the file, and an environment of its own
        TagstreamConfig job = TagstreamConfig.load(settings, Map.of());

        assertThat(job.get("tagging.tagger")).isEqualTo("rules");
        assertThat(job.getLong("checkpoint.interval-ms")).isEqualTo(1000);
        assertThat(job.getInt("tagging.top-k")).isEqualTo(4);
        assertThat(job.printable()).isEqualTo(submitted.printable().entrySet().stream()
                .filter(e -> !e.getKey().equals("postgres.password"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(Files.readString(settings, StandardCharsets.UTF_8)).doesNotContain("s3cret");
    }

    @Test
    void reportsWhatTheShellChangedAndWhichSecretsStayBehind() {
        Map<String, String> shell = Map.of("TAGSTREAM_TAGGING_TAGGER", "llm", "TAGSTREAM_POSTGRES_PASSWORD", "s3cret",
                "OPENAI_API_KEY", "sk-test");
        TagstreamConfig config = TagstreamConfig.of(Map.of("tagging.tagger", "llm", "postgres.password-file", "/pw"));

        List<String> report = JobSettings.report(config, shell);

        assertThat(report).hasSize(3);
        assertThat(report.get(0)).isEqualTo("settings from this shell for the job: tagging.tagger=llm");
        assertThat(report.get(1)).contains("TAGSTREAM_POSTGRES_PASSWORD").contains("postgres.password-file (/pw)");
        assertThat(report.get(2)).contains("OPENAI_API_KEY").contains("TaskManager");
        assertThat(String.join("\n", report)).doesNotContain("s3cret").doesNotContain("sk-test");
    }
}
