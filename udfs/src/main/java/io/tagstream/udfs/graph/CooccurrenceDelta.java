package io.tagstream.udfs.graph;

import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.tagging.TagAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * How one change set moves a tenant's co-occurrence counts: +1 for every tag pair (and single tag)
 * the content now carries and did not before, -1 for each it no longer carries. Pairs are ordered
 * ({@code tagA < tagB}); a single tag has {@code tagB = ""}, and the pair ("", "") counts the
 * contents that carry any tag at all, the denominator of PMI and lift.
 */
public record CooccurrenceDelta(String tenant, String tagA, String tagB, int delta) {

    public static List<CooccurrenceDelta> of(TagChangeSet changes) {
        TreeSet<String> after = new TreeSet<>();
        changes.current().forEach((TagAssignment t) -> after.add(t.tag()));
        TreeSet<String> before = new TreeSet<>(after);
        for (TagEvent event : changes.events()) {
            if (event.action() == TagAction.ADDED) {
                before.remove(event.tag());
            } else if (event.action() == TagAction.REMOVED || event.action() == TagAction.REJECTED) {
                before.add(event.tag());
            }
        }
        List<CooccurrenceDelta> deltas = new ArrayList<>();
        gained(changes.tenant(), after, before, +1, deltas);
        gained(changes.tenant(), before, after, -1, deltas);
        return deltas;
    }

    /**
     * The keys of {@code these} that {@code other} lacks, in key order: the any-tag marker, then
     * each tag followed by its pairs. A pair is lacking when either of its tags is.
     */
    private static void gained(String tenant, TreeSet<String> these, TreeSet<String> other, int delta,
            List<CooccurrenceDelta> out) {
        if (these.isEmpty()) {
            return;
        }
        if (other.isEmpty()) {
            out.add(new CooccurrenceDelta(tenant, "", "", delta));
        }
        String[] tags = these.toArray(String[]::new);
        for (int i = 0; i < tags.length; i++) {
            boolean lacking = !other.contains(tags[i]);
            if (lacking) {
                out.add(new CooccurrenceDelta(tenant, tags[i], "", delta));
            }
            for (int j = i + 1; j < tags.length; j++) {
                if (lacking || !other.contains(tags[j])) {
                    out.add(new CooccurrenceDelta(tenant, tags[i], tags[j], delta));
                }
            }
        }
    }

    /** The Flink key: one counter per tenant and pair. */
    public String key() {
        return tenant + "\u0000" + tagA + "\u0000" + tagB;
    }
}
