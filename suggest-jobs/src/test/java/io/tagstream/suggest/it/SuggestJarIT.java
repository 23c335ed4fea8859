package io.tagstream.suggest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the suggestion job's jar carries of Stateful Functions: the replaced
 * {@code StatefulFunctionsUniverses} only in its Flink 1.20 version, and no copy of a class Flink
 * 1.20 provides itself (Stateful Functions' uber jar would bring Flink 1.16's {@code FlinkVersion}
 * and older shaded Jackson and Netty under Flink's own package names).
 */
class SuggestJarIT {
    private static final Path JAR = Path.of("target/tagstream-suggest.jar");

    @Test
    void carriesTheReplacedClassOnceAndNoOlderFlinkClasses() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> entries = jar.stream().map(ZipEntry::getName).toList();

            assertThat(entries).filteredOn(e -> e.startsWith("org/apache/flink/statefun/flink/core/StatefulFunctionsUniverses"))
                    .containsExactly("org/apache/flink/statefun/flink/core/StatefulFunctionsUniverses.class");
            try (InputStream replaced = jar.getInputStream(jar.getEntry(
                    "org/apache/flink/statefun/flink/core/StatefulFunctionsUniverses.class"))) {
                String bytecode = new String(replaced.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(bytecode).contains("universeInitializerClassBytes");
            }
            assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/shaded/"));
            assertThat(entries).noneMatch(e -> e.equals("org/apache/flink/FlinkVersion.class"));
            assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/runtime/")
                    || e.startsWith("org/apache/flink/api/common/") || e.startsWith("org/apache/flink/util/"));
            assertThat(entries).contains("org/apache/flink/statefun/flink/core/functions/FunctionGroupOperator.class",
                    "com/google/protobuf/Message.class", "io/tagstream/suggest/SuggestionJob.class",
                    "taxonomy/creative-ideas.yaml");
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.tagstream.suggest.SuggestionJob");
        }
    }
}
