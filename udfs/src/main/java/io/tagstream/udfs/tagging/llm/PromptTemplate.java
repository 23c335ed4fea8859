package io.tagstream.udfs.tagging.llm;

import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A versioned prompt: {@code llm/prompts/<version>.txt} on the classpath. A changed prompt is a
 * new file with a new version, so every tag event names the exact prompt that produced it.
 */
public final class PromptTemplate {
    private final String version;
    private final String template;

    private PromptTemplate(String version, String template) {
        this.version = version;
        this.template = template;
    }

    public static PromptTemplate load(String version) {
        String resource = "llm/prompts/" + version + ".txt";
        try (InputStream in = PromptTemplate.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no prompt template " + resource + " (llm.prompt-version)");
            }
            return new PromptTemplate(version, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    public String version() {
        return version;
    }

    public String render(Taxonomy taxonomy, String text, int topK) {
        StringBuilder tags = new StringBuilder();
        for (Dimension dimension : taxonomy.dimensions()) {
            for (TaxonomyTag tag : taxonomy.tags()) {
                if (tag.dimension().equals(dimension.id())) {
                    tags.append(dimension.id()).append(": ").append(tag.id()).append(" = ").append(tag.label()).append('\n');
                }
            }
        }
        return template.replace("{{taxonomy}}", tags.toString().strip())
                .replace("{{top_k}}", Integer.toString(topK))
                .replace("{{text}}", text);
    }
}
