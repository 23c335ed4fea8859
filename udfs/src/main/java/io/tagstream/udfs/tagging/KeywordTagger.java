package io.tagstream.udfs.tagging;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tags a content by finding the taxonomy's labels and aliases in its title and body, in any
 * language, in the forms of {@link Mentions} (parts of labels, labels without their dimension's
 * words, plurals folded). Deterministic: the same text and taxonomy always give the same tags
 * and confidences.
 *
 * <p>Each occurrence is independent evidence (noisy-OR): a title occurrence counts
 * {@value #TITLE_EVIDENCE}, a body occurrence {@value #BODY_EVIDENCE}, at most
 * {@value #MAX_OCCURRENCES_COUNTED} of each, so one mention in the title is medium confidence and
 * a title mention confirmed twice in the body is high.
 */
public final class KeywordTagger implements Tagger {
    public static final String MODEL = "keyword-matcher/1";

    static final double TITLE_EVIDENCE = 0.6;
    static final double BODY_EVIDENCE = 0.3;
    static final int MAX_OCCURRENCES_COUNTED = 3;

    private final Taxonomy taxonomy;
    private final TermMatcher<String> matcher;

    public KeywordTagger(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
        // A label repeated as an alias is one term, not two pieces of evidence.
        List<Map.Entry<String, String>> terms = new ArrayList<>();
        for (TaxonomyTag tag : taxonomy.tags()) {
            for (String form : Mentions.of(taxonomy, tag)) {
                terms.add(Map.entry(form, tag.id()));
            }
        }
        this.matcher = new TermMatcher<>(terms);
    }

    public static TaggerFactory factory() {
        return KeywordTagger::new;
    }

    @Override
    public List<TagAssignment> tag(TaggingRequest request) {
        Map<String, Evidence> byTag = new TreeMap<>();
        collect(request.title(), true, byTag);
        collect(request.body(), false, byTag);

        List<TagAssignment> tags = new ArrayList<>();
        for (Map.Entry<String, Evidence> entry : byTag.entrySet()) {
            TaxonomyTag tag = taxonomy.tag(entry.getKey()).orElseThrow();
            Evidence evidence = entry.getValue();
            tags.add(new TagAssignment(
                    tag.id(), tag.dimension(), evidence.confidence(), TagSource.RULE, MODEL, evidence.describe()));
        }
        return tags;
    }

    private void collect(String text, boolean inTitle, Map<String, Evidence> byTag) {
        if (text == null || text.isEmpty()) {
            return;
        }
        // Matches come in order of their end; the longest match of a tag at a place wins, so
        // "flink" inside "apache flink" is not counted again for the same tag.
        Map<String, int[]> lastKept = new java.util.HashMap<>();
        List<TermMatcher.Match<String>> matches = new ArrayList<>(matcher.find(Mentions.fold(text)));
        matches.sort(java.util.Comparator.<TermMatcher.Match<String>>comparingInt(TermMatcher.Match::start)
                .thenComparing(m -> -m.end()));
        for (TermMatcher.Match<String> match : matches) {
            int[] kept = lastKept.get(match.payload());
            if (kept != null && match.start() >= kept[0] && match.end() <= kept[1]) {
                continue;
            }
            lastKept.put(match.payload(), new int[] {match.start(), match.end()});
            byTag.computeIfAbsent(match.payload(), t -> new Evidence()).add(match.term(), inTitle);
        }
    }

    /** Occurrences of one tag's terms, per field. */
    private static final class Evidence {
        final Map<String, Integer> titleTerms = new LinkedHashMap<>();
        final Map<String, Integer> bodyTerms = new LinkedHashMap<>();
        int titleHits;
        int bodyHits;

        void add(String term, boolean inTitle) {
            if (inTitle) {
                titleHits++;
                titleTerms.merge(term, 1, Integer::sum);
            } else {
                bodyHits++;
                bodyTerms.merge(term, 1, Integer::sum);
            }
        }

        double confidence() {
            double missed = Math.pow(1 - TITLE_EVIDENCE, Math.min(titleHits, MAX_OCCURRENCES_COUNTED))
                    * Math.pow(1 - BODY_EVIDENCE, Math.min(bodyHits, MAX_OCCURRENCES_COUNTED));
            return Math.round((1 - missed) * 10_000) / 10_000.0;
        }

        String describe() {
            StringBuilder reason = new StringBuilder("matched ");
            append(reason, titleTerms, "title");
            if (!titleTerms.isEmpty() && !bodyTerms.isEmpty()) {
                reason.append("; ");
            }
            append(reason, bodyTerms, "body");
            return reason.toString();
        }

        private static void append(StringBuilder reason, Map<String, Integer> terms, String field) {
            if (terms.isEmpty()) {
                return;
            }
            List<String> parts = new ArrayList<>();
            terms.forEach((term, n) -> parts.add('"' + term + '"' + (n > 1 ? " ×" + n : "")));
            reason.append(String.join(", ", parts)).append(" in ").append(field);
        }
    }
}
