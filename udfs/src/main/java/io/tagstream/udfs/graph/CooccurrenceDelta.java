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
        diff(changes.tenant(), keys(after), keys(before), +1, deltas);
        diff(changes.tenant(), keys(before), keys(after), -1, deltas);
        return deltas;
    }

    private static TreeSet<String> keys(TreeSet<String> tags) {
        TreeSet<String> keys = new TreeSet<>();
        if (!tags.isEmpty()) {
            keys.add("\u0000");
        }
        List<String> list = new ArrayList<>(tags);
        for (int i = 0; i < list.size(); i++) {
            keys.add(list.get(i) + "\u0000");
            for (int j = i + 1; j < list.size(); j++) {
                keys.add(list.get(i) + "\u0000" + list.get(j));
            }
        }
        return keys;
    }

    private static void diff(String tenant, TreeSet<String> these, TreeSet<String> notIn, int delta,
            List<CooccurrenceDelta> out) {
        for (String key : these) {
            if (!notIn.contains(key)) {
                String[] pair = key.split("\u0000", -1);
                out.add(new CooccurrenceDelta(tenant, pair[0], pair[1], delta));
            }
        }
    }

    /** The Flink key: one counter per tenant and pair. */
    public String key() {
        return tenant + "\u0000" + tagA + "\u0000" + tagB;
    }
}
