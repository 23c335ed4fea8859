package io.tagstream.udfs.tagging.rules;

import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.EnsembleTagger;
import io.tagstream.udfs.tagging.KeywordTagger;
import io.tagstream.udfs.tagging.TaggerFactory;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.tagging.TermMatcher;
import io.tagstream.udfs.taxonomy.TagRule;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The taxonomy's keyword rules ("IF a AND b THEN tag", {@link TagRule}): a rule fires when every
 * keyword occurs in the title or body, with the confidence its author gave it.
 * {@link #withKeywords} adds the labels and aliases found in the text ({@link KeywordTagger}).
 */
public final class RuleTagger implements Tagger {
    public static final String MODEL = "keyword-rules/1";

    private final Taxonomy taxonomy;
    private final TermMatcher<Integer> ruleTerms;

    public RuleTagger(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
        List<Map.Entry<String, Integer>> terms = new ArrayList<>();
        List<TagRule> rules = taxonomy.rules();
        for (int r = 0; r < rules.size(); r++) {
            for (String keyword : rules.get(r).allOf()) {
                terms.add(Map.entry(Taxonomy.normalize(keyword), r));
            }
        }
        this.ruleTerms = new TermMatcher<>(terms);
    }

    /** The label and alias matches (a heuristic source) with the rules, every proposal kept. */
    public static TaggerFactory withKeywords() {
        return EnsembleTagger.factory(List.of(EnsembleTagger.heuristic(KeywordTagger.factory()),
                EnsembleTagger.authored(RuleTagger::new)), 0);
    }

    @Override
    public List<TagAssignment> tag(TaggingRequest request) {
        Map<String, TagAssignment> byTag = new LinkedHashMap<>();
        String text = Taxonomy.normalize((request.title() == null ? "" : request.title()) + "\n"
                + (request.body() == null ? "" : request.body()));
        Map<Integer, Set<String>> seen = new LinkedHashMap<>();
        for (TermMatcher.Match<Integer> match : ruleTerms.find(text)) {
            seen.computeIfAbsent(match.payload(), r -> new HashSet<>()).add(match.term());
        }
        for (Map.Entry<Integer, Set<String>> entry : seen.entrySet()) {
            TagRule rule = taxonomy.rules().get(entry.getKey());
            boolean all = rule.allOf().stream().allMatch(k -> entry.getValue().contains(Taxonomy.normalize(k)));
            TaxonomyTag tag = taxonomy.tag(rule.tag()).orElseThrow();
            TagAssignment before = byTag.get(tag.id());
            if (all && (before == null || before.confidence() < rule.confidence())) {
                byTag.put(tag.id(), new TagAssignment(tag.id(), tag.dimension(), rule.confidence(), TagSource.RULE, MODEL,
                        "rule: " + String.join(" AND ", rule.allOf())));
            }
        }
        return new ArrayList<>(byTag.values());
    }
}
