package io.tagstream.jobs.query;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The API's tokens, one per tenant, from a properties file ({@code tenant=token}). Tokens are
 * compared in constant time and never appear in messages or {@link #toString()}.
 */
public final class TenantTokens {
    static final int MIN_TOKEN_LENGTH = 16;

    private final Map<String, byte[]> tokens;

    private TenantTokens(Map<String, byte[]> tokens) {
        this.tokens = tokens;
    }

    public static TenantTokens load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        Map<String, byte[]> tokens = new HashMap<>();
        for (String tenant : props.stringPropertyNames()) {
            String token = props.getProperty(tenant).strip();
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(file + ": the token of tenant '" + tenant + "' is shorter than "
                        + MIN_TOKEN_LENGTH + " characters");
            }
            tokens.put(tenant, token.getBytes(StandardCharsets.UTF_8));
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no tokens; add lines tenant=token");
        }
        return new TenantTokens(tokens);
    }

    /** Whether {@code presented} is the token of {@code tenant}. */
    public boolean grants(String tenant, String presented) {
        byte[] expected = tokens.get(tenant);
        return expected != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return tokens.size();
    }

    @Override
    public String toString() {
        return "TenantTokens[" + tokens.size() + " tenants]";
    }
}
