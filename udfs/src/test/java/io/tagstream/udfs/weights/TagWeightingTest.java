package io.tagstream.udfs.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.TagStat;
import io.tagstream.udfs.content.ContentTagDiff;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TagWeightingTest {
    private static final long HOUR = 3_600_000L;
    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    /** acme: one hour; everyone else: a week; trend: half an hour; floor 0.01. */
    private static final TagWeighting WEIGHTING = new TagWeighting(168 * HOUR, Map.of("acme", HOUR), HOUR / 2, 0.01);

    // ---- the rules, one at a time ----------------------------------------------------------------

    @Test
    void aUseAddsItsConfidenceExactly() {
        TagWeight w = apply(model(TagAction.ADDED, 0.6, T0));

        assertThat(w.weight()).isEqualTo(0.6);
        assertThat(w.trendWeight()).isEqualTo(0.6);
        assertThat(w.usageCount()).isEqualTo(1);
        assertThat(w.usageGain()).isEqualTo(StrictMath.log1p(1));
        assertThat(w.lastUsed()).isEqualTo(T0);
        assertThat(w.dimension()).isEqualTo("topic");
        assertThat(w.feedbackScore()).isZero();
    }

    @Test
    void decaysInEventTimeByTheTenantsHalfLifeAndTheTrendHalfLife() {
        TagWeight w = apply(model(TagAction.ADDED, 0.6, T0), model(TagAction.UPDATED, 0.8, T0 + HOUR));

        assertThat(w.weight()).isEqualTo(0.6 / 2 + 0.8);
        assertThat(w.trendWeight()).isEqualTo(0.6 / 4 + 0.8);
        assertThat(w.usageCount()).isEqualTo(2);
        assertThat(w.usageGain()).isEqualTo(StrictMath.log1p(2));
        assertThat(w.updatedAt()).isEqualTo(T0 + HOUR);

        TagWeight otherTenant = apply(event("globex", TagAction.ADDED, TagSource.RULE, 0.6, T0, null),
                event("globex", TagAction.UPDATED, TagSource.RULE, 0.8, T0 + 168 * HOUR, null));
        assertThat(otherTenant.weight()).isEqualTo(0.6 / 2 + 0.8);
    }

    @Test
    void aRemovalLowersNothingAndOnlyAdvancesTheClock() {
        TagWeight w = apply(model(TagAction.ADDED, 0.6, T0), model(TagAction.REMOVED, 0.0, T0 + 2 * HOUR));

        assertThat(w.weight()).isEqualTo(0.15);
        assertThat(w.usageCount()).isEqualTo(1);
        assertThat(w.lastUsed()).isEqualTo(T0);
        assertThat(w.updatedAt()).isEqualTo(T0 + 2 * HOUR);
        assertThat(w.feedbackScore()).isZero();
    }

    @Test
    void feedbackScalesTheUsesOfItsTimestampAndAfterButNotTheWeightBefore() {
        TagWeight w = apply(
                model(TagAction.ADDED, 0.6, T0),
                user(TagAction.CONFIRMED, 1.0, T0 + HOUR),
                model(TagAction.UPDATED, 0.6, T0 + HOUR));

        assertThat(w.feedbackScore()).isEqualTo(1.0 / 3);
        assertThat(w.weight()).isEqualTo(0.3 + (1 + 1.0 / 3) * 0.6);
        assertThat(w.usageCount()).as("a confirmation is not a use").isEqualTo(2);

        TagWeight rejected = apply(w, user(TagAction.REJECTED, 0.0, T0 + 2 * HOUR),
                model(TagAction.ADDED, 0.9, T0 + 2 * HOUR));
        assertThat(rejected.feedbackScore()).isZero();
        assertThat(rejected.weight()).isEqualTo(w.weight() / 2 + 0.9);
    }

    @Test
    void aUserAdditionIsAUseAndPositiveFeedbackAUserRemovalNegativeButNotAContentDeletion() {
        TagWeight added = apply(user(TagAction.ADDED, 1.0, T0));
        assertThat(added.weight()).isEqualTo((1 + 1.0 / 3) * 1.0);
        assertThat(added.usageCount()).isEqualTo(1);

        TagWeight removed = apply(added, user(TagAction.REMOVED, 0.0, T0 + HOUR));
        assertThat(removed.feedbackScore()).isZero();
        assertThat(removed.weight()).isEqualTo(added.weight() / 2);

        TagEvent deleted = event("acme", TagAction.REMOVED, TagSource.USER, 0.0, T0 + HOUR, ContentTagDiff.CONTENT_DELETED);
        assertThat(apply(added, deleted).feedbackScore()).isEqualTo(1.0 / 3);
        assertThat(apply(added, model(TagAction.REMOVED, 0.0, T0 + HOUR)).feedbackScore()).isEqualTo(1.0 / 3);
    }

    @Test
    void theFeedbackScoreStaysStrictlyBetweenMinusOneAndOne() {
        TagWeight w = apply(model(TagAction.ADDED, 0.6, T0));
        for (int i = 0; i < 1000; i++) {
            w = WEIGHTING.apply(w, user(TagAction.REJECTED, 0.0, T0));
        }
        assertThat(w.feedbackScore()).isEqualTo(-1000.0 / 1002).isGreaterThan(-1);
        assertThat(WEIGHTING.apply(w, model(TagAction.ADDED, 0.6, T0)).weight()).isPositive();
    }

    @Test
    void aLateEventCountsAtTheLatestTimestampDecayedByItsLateness() {
        TagWeight w = apply(model(TagAction.ADDED, 0.6, T0 + 2 * HOUR), model(TagAction.ADDED, 0.8, T0));

        assertThat(w.updatedAt()).isEqualTo(T0 + 2 * HOUR);
        assertThat(w.weight()).isEqualTo(0.6 + 0.2);
        assertThat(w.trendWeight()).isEqualTo(0.6 + 0.05);
        assertThat(w.lastUsed()).isEqualTo(T0 + 2 * HOUR);
        assertThat(w.usageCount()).isEqualTo(2);

        TagWeight inOrder = apply(model(TagAction.ADDED, 0.8, T0), model(TagAction.ADDED, 0.6, T0 + 2 * HOUR));
        assertThat(w.weight()).isEqualTo(inOrder.weight());
    }

    @Test
    void aWeightThatDecayedBelowTheFloorStartsAfresh() {
        TagWeight w = apply(model(TagAction.ADDED, 0.6, T0), user(TagAction.CONFIRMED, 1.0, T0),
                model(TagAction.UPDATED, 0.7, T0 + 7 * HOUR));

        assertThat(w.weight()).as("0.8 / 2^7 is below 0.01").isEqualTo(0.7);
        assertThat(w.usageCount()).isEqualTo(1);
        assertThat(w.feedbackScore()).isZero();
        assertThat(w.dimension()).isEqualTo("topic");

        TagWeight kept = apply(model(TagAction.ADDED, 0.6, T0), user(TagAction.CONFIRMED, 1.0, T0),
                model(TagAction.UPDATED, 0.7, T0 + 6 * HOUR));
        assertThat(kept.usageCount()).as("0.8 / 2^6 is not").isEqualTo(2);
    }

    @Test
    void fadesAtIsTheFirstMillisecondTheWeightIsBelowTheFloor() {
        TagWeight w = apply(model(TagAction.ADDED, 0.64, T0));

        long fades = WEIGHTING.fadesAt("acme", w);

        assertThat(fades).isEqualTo(T0 + 6 * HOUR + 1);
        assertThat(apply(w, model(TagAction.REMOVED, 0.0, fades - 1)).usageCount()).isEqualTo(1);
        assertThat(apply(w, model(TagAction.REMOVED, 0.0, fades)).usageCount()).isZero();
        assertThat(new TagWeighting(HOUR, Map.of(), 1, 0.0).fadesAt("acme", w)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theDimensionFollowsTheLatestEventThatNamesOne() {
        TagWeight w = apply(event("acme", TagAction.ADDED, TagSource.RULE, 0.6, T0, null, "tech"),
                event("acme", TagAction.UPDATED, TagSource.RULE, 0.7, T0 + HOUR, null, "topic"),
                event("acme", TagAction.ADDED, TagSource.RULE, 0.7, T0, null, "other"),
                event("acme", TagAction.CONFIRMED, TagSource.USER, 1.0, T0 + HOUR, null, null));

        assertThat(w.dimension()).isEqualTo("topic");
    }

    @Test
    void anEventWithoutEventTimeChangesNothing() {
        TagWeight w = apply(model(TagAction.ADDED, 0.6, T0));
        TagEvent timeless = new TagEvent("e", "acme", "c", 1, 1, "kafka", "topic", TagAction.ADDED, 0.9, null,
                TagSource.RULE, null, null, null, null, null, null);

        assertThat(WEIGHTING.apply(w, timeless)).isSameAs(w);
        assertThat(WEIGHTING.apply(null, timeless)).isNull();
    }

    @Test
    void refusesATrendHalfLifeThatIsNotShorterThanEveryHalfLife() {
        assertThatThrownBy(() -> new TagWeighting(168 * HOUR, Map.of("acme", HOUR), HOUR, 0.01))
                .hasMessage("the trend half-life (3600000 ms) must be shorter than every weight half-life "
                        + "(the shortest is 3600000 ms)");
        assertThatThrownBy(() -> new TagWeighting(HOUR, Map.of(), 1, -1))
                .hasMessage("the weight floor must be 0 or more, was -1.0");
    }

    // ---- properties ------------------------------------------------------------------------------

    @Test
    void theOrderOfEventsThatShareATimestampDoesNotChangeASingleBit() {
        SplittableRandom random = new SplittableRandom(11);
        for (int sample = 0; sample < 2_000; sample++) {
            List<List<TagEvent>> groups = randomGroups(random);
            TagWeight canonical = applyGroups(groups, new Random(0), false);
            for (int shuffle = 1; shuffle <= 5; shuffle++) {
                TagWeight shuffled = applyGroups(groups, new Random(shuffle), true);
                assertThat(shuffled).isEqualTo(canonical);
                assertThat(Double.doubleToRawLongBits(shuffled.weight()))
                        .isEqualTo(Double.doubleToRawLongBits(canonical.weight()));
                assertThat(WEIGHTING.stat("acme", "kafka", shuffled)).isEqualTo(WEIGHTING.stat("acme", "kafka", canonical));
            }
        }
    }

    @Test
    void lateEventsGiveTheInOrderWeightToWithinRounding() {
        // Without a floor: in order, a weight that fades below it between two uses would be dropped,
        // which a late use arriving first cannot know.
        TagWeighting noFloor = new TagWeighting(168 * HOUR, Map.of("acme", HOUR), HOUR / 2, 0.0);
        SplittableRandom random = new SplittableRandom(12);
        for (int sample = 0; sample < 2_000; sample++) {
            List<TagEvent> uses = new ArrayList<>();
            for (int i = random.nextInt(1, 12); i > 0; i--) {
                uses.add(model(TagAction.ADDED, random.nextInt(1, 1001) / 1000.0, T0 + random.nextLong(0, 5 * HOUR)));
            }
            List<TagEvent> sorted = new ArrayList<>(uses);
            sorted.sort((a, b) -> a.occurredAt().compareTo(b.occurredAt()));

            TagWeight arrival = null;
            for (TagEvent use : uses) {
                arrival = noFloor.apply(arrival, use);
            }
            TagWeight ordered = null;
            for (TagEvent use : sorted) {
                ordered = noFloor.apply(ordered, use);
            }

            // A late confidence is rounded to whole units after its decay: half a unit each, at most.
            double rounding = uses.size() * 0.5 / TagWeighting.CONFIDENCE_UNITS + ordered.weight() * 1e-12;
            assertThat(arrival.weight()).isCloseTo(ordered.weight(), within(rounding));
            assertThat(arrival.usageCount()).isEqualTo(ordered.usageCount());
            assertThat(arrival.lastUsed()).isEqualTo(ordered.lastUsed());
        }
    }

    @Test
    void withoutNewUsesTheReportedWeightOnlyFalls() {
        SplittableRandom random = new SplittableRandom(13);
        for (int sample = 0; sample < 2_000; sample++) {
            TagWeight w = apply(model(TagAction.ADDED, random.nextDouble(0.05, 1), T0),
                    model(TagAction.UPDATED, random.nextDouble(0.05, 1), T0 + random.nextLong(0, HOUR)));
            long t = w.updatedAt();
            double previous = w.weight();
            for (int step = 0; step < 10; step++) {
                t += random.nextLong(0, HOUR);
                w = WEIGHTING.apply(w, model(TagAction.REMOVED, 0.0, t));
                if (w.usageCount() == 0) {
                    break;
                }
                assertThat(w.weight()).isLessThanOrEqualTo(previous);
                previous = w.weight();
            }
        }
    }

    @Test
    void theVersionGrowsWithEveryEventOfATag() {
        SplittableRandom random = new SplittableRandom(14);
        TagWeight w = null;
        long previous = -1;
        long time = T0;
        for (int i = 0; i < 5_000; i++) {
            time += random.nextInt(3) == 0 ? random.nextLong(0, 10 * HOUR) : 0;
            long eventTime = random.nextInt(5) == 0 ? time - random.nextLong(0, HOUR) : time;
            w = WEIGHTING.apply(w, randomEvent(random, eventTime));
            long version = TagWeighting.version(w);
            assertThat(version).isGreaterThan(previous);
            previous = version;
        }
    }

    @Test
    void theDecayRankOrdersTagsAsTheirWeightsDecayedToAnyLaterTime() {
        SplittableRandom random = new SplittableRandom(15);
        for (int sample = 0; sample < 20_000; sample++) {
            TagWeight a = apply(model(TagAction.ADDED, random.nextDouble(0.01, 1), T0 + random.nextLong(0, 30 * HOUR)));
            TagWeight b = apply(model(TagAction.ADDED, random.nextDouble(0.01, 1), T0 + random.nextLong(0, 30 * HOUR)));
            TagStat sa = WEIGHTING.stat("acme", "a", a);
            TagStat sb = WEIGHTING.stat("acme", "b", b);
            long at = T0 + 30 * HOUR + random.nextLong(0, 100 * HOUR);
            TagDecay decay = WEIGHTING.decay("acme");
            double wa = decay.decay(sa.weight(), at - a.updatedAt());
            double wb = decay.decay(sb.weight(), at - b.updatedAt());
            if (Math.abs(wa - wb) > 1e-9 * Math.max(wa, wb)) {
                assertThat(Double.compare(sa.decayRank(), sb.decayRank())).isEqualTo(Double.compare(wa, wb));
            }
        }
    }

    @Test
    void theStatReportsTheWeightAsOfItsLatestTimestamp() {
        TagWeight w = apply(model(TagAction.ADDED, 0.6, T0), user(TagAction.CONFIRMED, 1.0, T0 + HOUR),
                model(TagAction.REMOVED, 0.0, T0 + HOUR));

        TagStat stat = WEIGHTING.stat("acme", "topic::kafka", w);

        assertThat(stat).isEqualTo(new TagStat("acme", "topic::kafka", "topic", 0.3, 0.15, 1, StrictMath.log1p(1),
                Instant.ofEpochMilli(T0), 1.0 / 3, List.of(), Instant.ofEpochMilli(T0 + HOUR), HOUR, HOUR / 2,
                StrictMath.log(0.3) / StrictMath.log(2) + (double) (T0 + HOUR) / HOUR,
                StrictMath.log(0.15) / StrictMath.log(2) + (double) (T0 + HOUR) / (HOUR / 2),
                ((T0 + HOUR) << 20) | 2));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static List<List<TagEvent>> randomGroups(SplittableRandom random) {
        List<List<TagEvent>> groups = new ArrayList<>();
        long time = T0;
        for (int g = random.nextInt(1, 6); g > 0; g--) {
            time += random.nextLong(1, 3 * HOUR);
            List<TagEvent> group = new ArrayList<>();
            for (int e = random.nextInt(1, 8); e > 0; e--) {
                group.add(randomEvent(random, time));
            }
            groups.add(group);
        }
        return groups;
    }

    private static TagEvent randomEvent(SplittableRandom random, long time) {
        TagAction action = TagAction.values()[random.nextInt(TagAction.values().length)];
        TagSource source = random.nextBoolean() ? TagSource.USER : TagSource.EMBEDDING;
        String dimension = random.nextInt(4) == 0 ? null : List.of("topic", "tech", "genre").get(random.nextInt(3));
        double confidence = action == TagAction.REMOVED ? 0.0 : random.nextInt(0, 10_001) / 10_000.0;
        return event("acme", action, source, confidence, time, null, dimension);
    }

    private static TagWeight applyGroups(List<List<TagEvent>> groups, Random random, boolean shuffle) {
        TagWeight w = null;
        for (List<TagEvent> group : groups) {
            List<TagEvent> events = new ArrayList<>(group);
            if (shuffle) {
                Collections.shuffle(events, random);
            }
            for (TagEvent e : events) {
                w = WEIGHTING.apply(w, e);
            }
        }
        return w;
    }

    private static TagWeight apply(TagEvent... events) {
        return apply(null, events);
    }

    private static TagWeight apply(TagWeight start, TagEvent... events) {
        TagWeight w = start;
        for (TagEvent e : events) {
            w = WEIGHTING.apply(w, e);
        }
        return w;
    }

    private static TagEvent model(TagAction action, double confidence, long time) {
        return event("acme", action, TagSource.EMBEDDING, confidence, time, null);
    }

    private static TagEvent user(TagAction action, double confidence, long time) {
        return event("acme", action, TagSource.USER, confidence, time, null);
    }

    private static TagEvent event(String tenant, TagAction action, TagSource source, double confidence, long time,
            String reason) {
        return event(tenant, action, source, confidence, time, reason, "topic");
    }

    private static TagEvent event(String tenant, TagAction action, TagSource source, double confidence, long time,
            String reason, String dimension) {
        return new TagEvent("e", tenant, "c1", 1, 1, "topic::kafka", dimension, action, confidence, null, source,
                null, null, null, reason, Instant.ofEpochMilli(time), null);
    }
}
