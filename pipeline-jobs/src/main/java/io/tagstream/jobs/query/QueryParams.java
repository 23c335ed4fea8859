package io.tagstream.jobs.query;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The parameters of one query, by name, as the HTTP query string or the command line's options
 * give them; every getter checks its value and says precisely what is wrong with it
 * ({@link QueryException#badRequest}). Unknown names are refused, so a typo never passes.
 */
public final class QueryParams {
    /** Longer identifiers are refused before they reach the database. */
    static final int MAX_IDENTIFIER_LENGTH = 512;

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    public static QueryParams of(Map<String, String> values, Set<String> known) {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw QueryException.badRequest("unknown parameter '" + name + "'"
                        + (known.isEmpty() ? "; this query takes none" : "; known: " + String.join(", ", new TreeSet<>(known))));
            }
        }
        return new QueryParams(values);
    }

    /** A tenant, content or tag id: present, not blank, no control characters, not too long. */
    public static String identifier(String name, String value) {
        if (value == null || value.isBlank()) {
            throw QueryException.badRequest(name + " is required");
        }
        if (value.length() > MAX_IDENTIFIER_LENGTH) {
            throw QueryException.badRequest(name + " is longer than " + MAX_IDENTIFIER_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw QueryException.badRequest(name + " contains a control character");
        }
        return value;
    }

    public Optional<String> identifier(String name) {
        return Optional.ofNullable(values.get(name)).map(v -> identifier(name, v));
    }

    /**
     * A moment: an ISO-8601 instant ({@code 2026-11-01T10:00:00Z}), one with an offset
     * ({@code 2026-11-01T12:00:00+02:00}), or a date, meaning its start in UTC.
     */
    public Optional<Instant> instant(String name) {
        String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException notDateTime) {
            try {
                return Optional.of(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException notDate) {
                throw QueryException.badRequest(name + " must be an ISO-8601 time such as 2026-11-01T10:00:00Z "
                        + "or a date such as 2026-11-01, was '" + shorten(value) + "'");
            }
        }
    }

    /** A number in [0, 1]. */
    public Optional<Double> fraction(String name) {
        String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            number = Double.NaN;
        }
        if (!(number >= 0.0 && number <= 1.0)) {
            throw QueryException.badRequest(name + " must be a number from 0 to 1, was '" + shorten(value) + "'");
        }
        return Optional.of(number);
    }

    /** A whole number in [min, max], or {@code fallback} when absent. */
    public int integer(String name, int fallback, int min, int max) {
        return ranged(name, fallback, min, max, Integer::parseInt, "a whole number from " + min + " to " + max);
    }

    /** An ISO-8601 duration ({@code P7D}, {@code PT6H}) in [min, max], or {@code fallback} when absent. */
    public Duration duration(String name, Duration fallback, Duration min, Duration max) {
        return ranged(name, fallback, min, max, Duration::parse,
                "an ISO-8601 duration from " + min + " to " + max + " such as P7D or PT6H");
    }

    private <T extends Comparable<T>> T ranged(String name, T fallback, T min, T max, Function<String, T> parse,
            String expected) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            T parsed = parse.apply(value);
            if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                return parsed;
            }
        } catch (RuntimeException unreadable) {
            // reported below, with the range
        }
        throw QueryException.badRequest(name + " must be " + expected + ", was '" + shorten(value) + "'");
    }

    /** One of the constants of {@code type}, written in any case, or {@code fallback} when absent. */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            Set<String> allowed = new TreeSet<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw QueryException.badRequest(name + " must be one of " + String.join(", ", allowed)
                    + ", was '" + shorten(value) + "'");
        }
    }

    /** A flag: absent, {@code true} or {@code false}. */
    public boolean flag(String name) {
        String value = values.get(name);
        if (value == null || value.equals("true")) {
            return value != null;
        }
        if (value.equals("false")) {
            return false;
        }
        throw QueryException.badRequest(name + " must be true or false, was '" + shorten(value) + "'");
    }

    public Optional<String> raw(String name) {
        return Optional.ofNullable(values.get(name));
    }

    private static String shorten(String value) {
        String printable = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "…";
    }
}
