package io.tagstream.udfs.tagging.llm;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data with placeholders before text leaves the process: credentials in URLs,
 * e-mail addresses, IBANs, payment card numbers, IP addresses and phone numbers (in that order,
 * so a password is not read as an address, nor a card number as a phone number).
 */
public final class PiiRedaction {
    private record Rule(Pattern pattern, String placeholder) {}

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("(?<=://)[^/\\s:@]+:[^/\\s@]+@"), "[CREDENTIALS]@"),
            new Rule(Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"), "[EMAIL]"),
            new Rule(Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b"), "[IBAN]"),
            new Rule(Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b"), "[CARD]"),
            new Rule(Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b"), "[IP]"),
            // +country code, groups separated by spaces, dots, dashes or parentheses; at least 7 digits.
            new Rule(Pattern.compile("(?<!\\w|\\d\\.)(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]?\\d{2,4}){1,4}(?!\\w|\\.\\d)"),
                    "[PHONE]"));

    private PiiRedaction() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String redacted = text;
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(redacted);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String found = m.group();
                boolean isPhone = rule.placeholder().equals("[PHONE]");
                // Years, versions and short numbers are not phone numbers: require 7+ digits.
                if (isPhone && found.replaceAll("\\D", "").length() < 7) {
                    m.appendReplacement(out, Matcher.quoteReplacement(found));
                } else {
                    m.appendReplacement(out, Matcher.quoteReplacement(rule.placeholder()));
                }
            }
            m.appendTail(out);
            redacted = out.toString();
        }
        return redacted;
    }
}
