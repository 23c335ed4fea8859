package io.tagstream.udfs.tagging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every occurrence of many terms in one pass over a text (Aho–Corasick), so matching cost
 * does not grow with the size of the taxonomy. Terms made of word characters only match whole
 * words ("go" does not match "good"); Chinese and Japanese script, written without spaces,
 * matches anywhere.
 *
 * <p>Terms and texts must already be normalised the same way ({@code Taxonomy.normalize}).
 */
public final class TermMatcher<T> {

    /** One occurrence of a term: characters [start, end) of the text. */
    public record Match<T>(int start, int end, String term, T payload) {}

    private static final class Node<T> {
        final Map<Character, Node<T>> next = new HashMap<>();
        Node<T> fail;
        /** Terms ending here, including those reached through fail links. */
        final List<Match<T>> outputs = new ArrayList<>();
    }

    private final Node<T> root = new Node<>();

    public TermMatcher(List<Map.Entry<String, T>> terms) {
        for (Map.Entry<String, T> term : terms) {
            String text = term.getKey();
            if (text.isEmpty()) {
                continue;
            }
            Node<T> node = root;
            for (int i = 0; i < text.length(); i++) {
                node = node.next.computeIfAbsent(text.charAt(i), c -> new Node<>());
            }
            node.outputs.add(new Match<>(0, text.length(), text, term.getValue()));
        }
        linkFailures();
    }

    private void linkFailures() {
        ArrayDeque<Node<T>> queue = new ArrayDeque<>();
        for (Node<T> child : root.next.values()) {
            child.fail = root;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            Node<T> node = queue.poll();
            for (Map.Entry<Character, Node<T>> edge : node.next.entrySet()) {
                char c = edge.getKey();
                Node<T> child = edge.getValue();
                Node<T> fallback = node.fail;
                while (fallback != null && !fallback.next.containsKey(c)) {
                    fallback = fallback.fail;
                }
                child.fail = fallback == null ? root : fallback.next.get(c);
                child.outputs.addAll(child.fail.outputs);
                queue.add(child);
            }
        }
    }

    public List<Match<T>> find(String text) {
        List<Match<T>> matches = new ArrayList<>();
        Node<T> node = root;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            while (node != root && !node.next.containsKey(c)) {
                node = node.fail;
            }
            node = node.next.getOrDefault(c, root);
            for (Match<T> output : node.outputs) {
                int end = i + 1;
                int start = end - output.term().length();
                if (onWordBoundaries(text, start, end)) {
                    matches.add(new Match<>(start, end, output.term(), output.payload()));
                }
            }
        }
        return matches;
    }

    private static boolean onWordBoundaries(String text, int start, int end) {
        boolean startsInsideWord = isWordChar(text.charAt(start)) && start > 0 && isWordChar(text.charAt(start - 1));
        boolean endsInsideWord = isWordChar(text.charAt(end - 1)) && end < text.length() && isWordChar(text.charAt(end));
        return !startsInsideWord && !endsInsideWord;
    }

    /** Letters and digits of scripts that separate words with spaces. */
    static boolean isWordChar(char c) {
        if (!Character.isLetterOrDigit(c)) {
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        if (script == Character.UnicodeScript.HAN
                || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA) {
            return false;
        }
        // Marks shared by both kana scripts (e.g. the long-vowel mark ー) are of script COMMON.
        Character.UnicodeBlock block = Character.UnicodeBlock.of(c);
        return block != Character.UnicodeBlock.KATAKANA
                && block != Character.UnicodeBlock.HIRAGANA
                && block != Character.UnicodeBlock.KATAKANA_PHONETIC_EXTENSIONS;
    }
}
