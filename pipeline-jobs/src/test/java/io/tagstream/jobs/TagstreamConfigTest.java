package io.tagstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagstreamConfigTest {

    @TempDir
    Path dir;

    @Test
    void environmentOverridesFileOverridesDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("t.properties"),
                "kafka.bootstrap-servers=kafka:1\ntagging.top-k=5\n");
        TagstreamConfig config = TagstreamConfig.load(file, Map.of("TAGSTREAM_TAGGING_TOP_K", "7"));

        assertThat(config.get("kafka.bootstrap-servers")).isEqualTo("kafka:1");
        assertThat(config.getInt("tagging.top-k")).isEqualTo(7);
        assertThat(config.get("topic.content-events")).isEqualTo("content.events");
    }

    @Test
    void refusesUnknownKeysAndPasswordsInFiles() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.properties"), "kafka.bootstrap.servers=x\n");
        assertThatThrownBy(() -> TagstreamConfig.load(typo, Map.of()))
                .hasMessageContaining("unknown configuration key 'kafka.bootstrap.servers'");

        Path secret = Files.writeString(dir.resolve("secret.properties"), "postgres.password=hunter2\n");
        assertThatThrownBy(() -> TagstreamConfig.load(secret, Map.of()))
                .hasMessageContaining("do not put postgres.password in a file")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void readsThePasswordFromTheEnvironmentOrAFileAndNeverPrintsIt() throws Exception {
        TagstreamConfig fromEnv = TagstreamConfig.load(null, Map.of("TAGSTREAM_POSTGRES_PASSWORD", "s3cret"));
        assertThat(fromEnv.postgres().password()).isEqualTo("s3cret");
        assertThat(fromEnv.toString()).doesNotContain("s3cret");
        assertThat(fromEnv.postgres().toString()).doesNotContain("s3cret");

        Path passwordFile = Files.writeString(dir.resolve("pw"), "from-file\n");
        TagstreamConfig fromFile = TagstreamConfig.load(null,
                Map.of("TAGSTREAM_POSTGRES_PASSWORD_FILE", passwordFile.toString()));
        assertThat(fromFile.postgres().password()).isEqualTo("from-file");
    }

    @Test
    void namesTheKeyOfABadNumber() {
        TagstreamConfig config = TagstreamConfig.of(Map.of("tagging.top-k", "three"));
        assertThatThrownBy(() -> config.getInt("tagging.top-k"))
                .hasMessage("configuration key 'tagging.top-k' must be a whole number, was 'three'");
    }
}
