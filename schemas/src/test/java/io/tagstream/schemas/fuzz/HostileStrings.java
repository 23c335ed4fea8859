package io.tagstream.schemas.fuzz;

import static net.jqwik.api.Tuple.of;

import io.tagstream.schemas.FieldLimits;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Strings for the boundary's fuzzing: names (ids, tags, keys) that are valid up to the last byte
 * of their limit, and the ones a reader must refuse or repair. Whether a string is valid is decided
 * by {@link StoreInvariants}, independently of the readers' own checks.
 */
public final class HostileStrings {
    /** What no name may hold: control characters (C0, DEL, C1) and lone or reversed surrogates. */
    public static final List<String> FORBIDDEN_IN_NAMES = List.of(
            "\u0000", "\u0001", "\u0007", "\t", "\n", "\r", "\u001B", "\u001F", "\u007F", "\u0085", "\u009F",
            "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDE00\uD83D");

    /**
     * Odd but allowed in a name: RTL and bidi marks, zero-width and BOM, non-characters, line
     * separators, combining marks, astral and CJK characters, JSON and SQL metacharacters, escapes
     * written out as text.
     */
    public static final List<String> ODD_BUT_ALLOWED = List.of(
            "\u200F", "\u200E", "\u202E", "\u2066", "\u200B", "\uFEFF", "\u00A0", "\u2028", "\u2029", "\uFFFD",
            "\uFFFE", "\uFFFF", "\uD83D\uDE00", "\uD840\uDC00", "\uD83C\uDDFA\uD83C\uDDF8", "貓", "流處理", "é",
            "e\u0301", "ß", "İ", "\"", "\\", "/", "\\u0000", "\\ud800", "{\"a\":1}", "'", "';--", "%00", "<b>",
            "::", "*", "?", "#", "&", "+", "=", " ", "\u3000", "x", "A", "7", "-", "_", ".");

    /** Units of 1, 2, 3 and 4 bytes in UTF-8, to build strings that end exactly at a byte limit. */
    public static final List<String> UNITS = List.of("a", "é", "貓", "\uD83D\uDE00");

    private HostileStrings() {}

    /**
     * A name the contract accepts: at most {@code maxBytes} of UTF-8, no control character or lone
     * surrogate, not blank. Many sit exactly at the limit, in one- to four-byte characters.
     */
    public static Arbitrary<String> validName(int maxBytes) {
        return Arbitraries.frequencyOf(
                of(3, oddPieces(12)),
                of(1, Arbitraries.strings().alpha().numeric().withChars("-_.:").ofMinLength(1).ofMaxLength(40)),
                of(3, nearLimit(maxBytes, -3, 0)))
                .filter(s -> StoreInvariants.isName(s, maxBytes));
    }

    /**
     * A name as a hostile producer writes it: mostly valid, else one byte past the limit, a
     * forbidden character somewhere in it, blank, or tens of kilobytes long.
     */
    public static Arbitrary<String> name(int maxBytes) {
        return Arbitraries.frequencyOf(
                of(4, validName(maxBytes)),
                of(2, nearLimit(maxBytes, 1, 3)),
                of(3, withForbidden(Arbitraries.oneOf(oddPieces(8), nearLimit(maxBytes, -3, 0)))),
                of(1, Arbitraries.of("", " ", "\u3000", "\t", "  \n ")),
                of(1, huge()));
    }

    /** Any string: a name of any limit, free text, or plain noise. */
    public static Arbitrary<String> anyString() {
        return Arbitraries.frequencyOf(
                of(3, name(FieldLimits.TAG_BYTES)),
                of(2, name(FieldLimits.ID_BYTES)),
                of(2, freeText(200)),
                of(1, Arbitraries.strings().all().ofMaxLength(30)));
    }

    /**
     * Free text (titles, bodies, metadata values): anything at all, including U+0000 and lone
     * surrogates, which the readers replace, up to {@code maxChars} characters.
     */
    public static Arbitrary<String> freeText(int maxChars) {
        Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.of(FORBIDDEN_IN_NAMES), Arbitraries.of(ODD_BUT_ALLOWED))
                .list().ofMaxSize(Math.min(maxChars / 4, 40)).map(HostileStrings::join);
        return Arbitraries.frequencyOf(
                of(4, pieces),
                of(2, Arbitraries.strings().all().ofMaxLength(Math.min(maxChars, 200))),
                of(1, Combinators.combine(Arbitraries.of(UNITS).map(u -> u.charAt(0) == 'a' ? "\u0000" : u),
                        Arbitraries.integers().between(0, maxChars / 2))
                        .as((unit, n) -> unit.repeat(n)).filter(s -> s.length() <= maxChars)));
    }

    /** Strings of {@code limit + deltaMin} to {@code limit + deltaMax} bytes, in one kind of character, padded with ASCII. */
    public static Arbitrary<String> nearLimit(int limit, int deltaMin, int deltaMax) {
        return Combinators.combine(Arbitraries.of(UNITS), Arbitraries.integers().between(deltaMin, deltaMax))
                .as((unit, delta) -> bytesLong(unit, Math.max(1, limit + delta)));
    }

    /** {@code unit} repeated, then 'x's, to exactly {@code bytes} bytes of UTF-8. */
    public static String bytesLong(String unit, int bytes) {
        int unitBytes = StoreInvariants.utf8Bytes(unit);
        return unit.repeat(bytes / unitBytes) + "x".repeat(bytes % unitBytes);
    }

    private static Arbitrary<String> oddPieces(int maxPieces) {
        return Arbitraries.of(ODD_BUT_ALLOWED).list().ofMinSize(1).ofMaxSize(maxPieces).map(HostileStrings::join);
    }

    private static Arbitrary<String> withForbidden(Arbitrary<String> base) {
        return Combinators.combine(base, Arbitraries.of(FORBIDDEN_IN_NAMES), Arbitraries.integers().greaterOrEqual(0))
                .as((text, bad, at) -> insert(text, bad, at));
    }

    private static Arbitrary<String> huge() {
        return Combinators.combine(Arbitraries.of("x", "貓", "\uD83D\uDE00"), Arbitraries.integers().between(10_000, 60_000))
                .as(String::repeat);
    }

    /** {@code piece} inserted into {@code text} at {@code at} modulo its length (possibly splitting a surrogate pair). */
    static String insert(String text, String piece, int at) {
        int i = text.isEmpty() ? 0 : at % (text.length() + 1);
        return text.substring(0, i) + piece + text.substring(i);
    }

    private static String join(List<String> pieces) {
        return String.join("", new ArrayList<>(pieces));
    }
}
