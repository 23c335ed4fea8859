package io.tagstream.udfs.tagging;

import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a tag is mentioned in running text, and the folding that lets a text meet those mentions.
 * Labels are written for a list of tags, not for prose: "HTML, Hypertext Markup Language",
 * "Text Recognition (OCR)", "Perl Development" under the dimension "Software Development". So a
 * tag is also known by each part of its label, by its label without the words it shares with its
 * dimension's label at either end ("Perl", "Graphical" under "User Interface"), and by the last
 * segment of its id ({@code uitoolkit::ncurses} → "ncurses").
 *
 * <p>{@link #fold} reads "command-line" as "command line" and folds English plurals (Harman's
 * S-stemmer: "libraries" → "library"), applied alike to mentions and texts; text in other scripts
 * is only normalised ({@link Taxonomy#normalize}).
 */
public final class Mentions {
    private static final Pattern SEPARATORS = Pattern.compile("[-_/]");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern LATIN_WORD = Pattern.compile("[a-z]+");
    private static final Pattern PARENTHESISED = Pattern.compile("^(.*?)\\s*\\((.+)\\)\\s*$");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private Mentions() {}

    /** The folded forms a tag is mentioned by: label, aliases and the variants above, without repeats. */
    public static Set<String> of(Taxonomy taxonomy, TaxonomyTag tag) {
        List<String> parts = labelParts(tag.label());
        Set<String> names = new LinkedHashSet<>(parts);
        names.addAll(tag.aliases());
        Set<String> dimensionWords = words(taxonomy.dimensions().stream().filter(d -> d.id().equals(tag.dimension()))
                .findFirst().map(Dimension::label).orElse(""));
        for (String part : parts) {
            String trimmed = withoutEdgeWords(part, dimensionWords);
            if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        String lastSegment = tag.id().substring(tag.id().lastIndexOf(':') + 1);
        if (!lastSegment.isBlank()) {
            names.add(lastSegment);
        }
        Set<String> folded = new LinkedHashSet<>();
        for (String name : names) {
            String f = fold(name);
            if (!f.isEmpty()) {
                folded.add(f);
            }
        }
        return folded;
    }

    /** {@link Taxonomy#normalize}, separators as spaces, single spaces, English plurals folded. */
    public static String fold(String text) {
        String spaced = SPACES.matcher(SEPARATORS.matcher(Taxonomy.normalize(text)).replaceAll(" ")).replaceAll(" ").strip();
        Matcher word = LATIN_WORD.matcher(spaced);
        StringBuilder out = new StringBuilder(spaced.length());
        while (word.find()) {
            word.appendReplacement(out, singular(word.group()));
        }
        word.appendTail(out);
        return out.toString();
    }

    /** Harman's S-stemmer (1991): the three plural rules, nothing else. */
    static String singular(String word) {
        int n = word.length();
        if (n > 3 && word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) {
            return word.substring(0, n - 3) + "y";
        }
        if (n > 3 && word.endsWith("es") && !word.endsWith("aes") && !word.endsWith("ees") && !word.endsWith("oes")) {
            return word.substring(0, n - 1);
        }
        if (n > 2 && word.endsWith("s") && !word.endsWith("us") && !word.endsWith("ss")) {
            return word.substring(0, n - 1);
        }
        return word;
    }

    /** "A (B)" → A, B; "A, B" → A, B; "A/B" → A, B; always the label itself first. */
    static List<String> labelParts(String label) {
        Set<String> parts = new LinkedHashSet<>();
        parts.add(label.strip());
        Matcher m = PARENTHESISED.matcher(label.strip());
        if (m.matches()) {
            parts.add(m.group(1));
            parts.add(m.group(2));
        }
        for (String part : new ArrayList<>(parts)) {
            if (part.contains(", ")) {
                Arrays.stream(part.split(", ")).forEach(parts::add);
            }
            if (part.contains("/") && !part.contains(" ")) {
                Arrays.stream(part.split("/")).forEach(parts::add);
            }
        }
        parts.removeIf(String::isBlank);
        return new ArrayList<>(parts.stream().map(String::strip).toList());
    }

    /** The label without leading and trailing words of {@code dimensionWords}; empty when nothing is dropped or nothing is left. */
    static String withoutEdgeWords(String label, Set<String> dimensionWords) {
        String[] words = Taxonomy.normalize(label).split("\\s+");
        int from = 0;
        int to = words.length;
        while (from < to && dimensionWords.contains(words[from])) {
            from++;
        }
        while (to > from && dimensionWords.contains(words[to - 1])) {
            to--;
        }
        if (to == from || to - from == words.length) {
            return "";
        }
        return String.join(" ", Arrays.asList(words).subList(from, to));
    }

    private static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        Matcher m = WORD.matcher(Taxonomy.normalize(text));
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }
}
