package io.tagstream.udfs.tagging.embedding;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeddings already computed, kept in a file so that repeated offline evaluations do not run
 * the model again for the same text: one line per (model, text), tab-separated — model, text
 * (tabs and newlines escaped), the unit vector as base64 of little-endian float32. Only tools
 * use it ({@code tagstream eval --embedding-cache FILE}); the job never does.
 */
public final class EmbeddingCache {
    private final Path file;
    private final Map<String, float[]> vectors = new HashMap<>();

    private EmbeddingCache(Path file) {
        this.file = file;
    }

    /** Kept in memory only, for one run. */
    public static EmbeddingCache inMemory() {
        return new EmbeddingCache(null);
    }

    /** Reads the file if it exists; new embeddings are appended to it. */
    public static EmbeddingCache open(Path file) {
        EmbeddingCache cache = new EmbeddingCache(file);
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.split("\t", -1);
                    if (parts.length == 3) {
                        cache.vectors.put(key(parts[0], unescape(parts[1])), decode(parts[2]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding cache " + file, e);
            }
        }
        return cache;
    }

    public synchronized float[] get(String model, String text) {
        return vectors.get(key(model, text));
    }

    public synchronized int size() {
        return vectors.size();
    }

    /** Remembers the vectors of {@code texts} (same order) and appends them to the file. */
    public synchronized void putAll(String model, List<String> texts, List<float[]> computed) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            if (vectors.put(key(model, texts.get(i)), computed.get(i)) == null) {
                lines.append(model).append('\t').append(escape(texts.get(i))).append('\t').append(encode(computed.get(i))).append('\n');
            }
        }
        if (file == null) {
            return;
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            out.write(lines.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedding cache " + file, e);
        }
    }

    private static String key(String model, String text) {
        return model + "\u0000" + text;
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            bytes.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    static float[] decode(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / 4];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = bytes.getFloat();
        }
        return vector;
    }
}
