package io.tagstream.udfs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.ContentOp;
import io.tagstream.schemas.DeadLetter;
import io.tagstream.schemas.FeedbackAction;
import io.tagstream.schemas.FeedbackEvent;
import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import io.tagstream.schemas.TagStat;
import io.tagstream.schemas.TaxonomyCommand;
import io.tagstream.schemas.TaxonomyCommandType;
import io.tagstream.udfs.content.ContentInput;
import io.tagstream.udfs.content.ContentTagState;
import io.tagstream.udfs.content.GateState;
import io.tagstream.udfs.content.RetagInput;
import io.tagstream.udfs.content.TagDrop;
import io.tagstream.udfs.content.TagVerdict;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.udfs.feedback.ContentText;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.schemas.SessionPhase;
import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestDirection;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.schemas.SuggestedTag;
import io.tagstream.udfs.suggest.IdleCheck;
import io.tagstream.udfs.suggest.SessionState;
import io.tagstream.udfs.weights.TagWeight;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every type that crosses the network or sits in state must get a Flink serializer, never the
 * Kryo fallback (which cannot rebuild Java records). The job also disables generic types, so a
 * regression fails there too; this test names the culprit.
 */
class FlinkTypesTest {

    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00.123456789Z");

    @ParameterizedTest
    @ValueSource(classes = {
        ContentEvent.class, DeadLetter.class, FeedbackEvent.class, TagEvent.class, TagAssignment.class,
        TaggedContent.class, TagChangeSet.class, GateState.class, ContentTagState.class, ContentInput.class,
        TagDrop.class, TaxonomyCommand.class, TagStat.class, TagWeight.class, TagWeightState.class,
        RetagInput.class, SuggestRequest.class, SuggestResponse.class, SuggestDirection.class, SessionState.class,
        IdleCheck.class, ConfirmedExample.class, ContentText.class
    })
    void isSerializedWithoutKryo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertThat(genericParts(info)).as("fields that would fall back to Kryo").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void roundTripsThroughItsFlinkSerializer(Class<?> type, Object sample) throws IOException {
        assertThat(roundTrip(type, sample)).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void copiesThroughItsFlinkSerializer(Class<?> type, Object sample) {
        assertThat(serializer(type).copy(sample)).isEqualTo(sample);
    }

    static Stream<Arguments> samples() {
        ContentEvent event = contentEvent();
        TagAssignment assignment = new TagAssignment("kafka", "tech", 0.72, TagSource.RULE, "keyword-matcher/1",
                "matched \"kafka\" in title; \"kafka\" in body");
        TagAssignment authored = new TagAssignment("Event Sourcing", "user", 1.0, TagSource.USER, null, "by author");
        TagEvent tagEvent = new TagEvent("3b1f2c", "acme", "c1", 4, 2, "kafka", "tech", TagAction.UPDATED, 0.72, 0.6,
                TagSource.RULE, "keyword-matcher/1", null, "tx-0123456789ab", "matched", T0, T0.plusMillis(5));
        TagEvent added = new TagEvent("9a8b7c", "acme", "c1", 4, 2, "flink", null, TagAction.ADDED, 0.3, null,
                TagSource.RULE, null, null, null, null, T0, null);
        TagWeight weight = new TagWeight("topic", true, T0.toEpochMilli(), 0.3, 0.15, 600_000_000L, 600_000_000L, 2,
                T0.toEpochMilli(), 1, 0, 3);
        DeadLetter deadLetter = new DeadLetter("parse", "not a JSON object", "content.events", 3, 17L, null, null,
                "WzFd", true, 150, T0);
        return Stream.of(
                sample(ContentEvent.class, "ContentEvent", event),
                sample(ContentEvent.class, "versionless ContentEvent without collections", new ContentEvent(
                        "e2", "acme", "c2", ContentOp.DELETE, null, T0, null, null, null, null, null, null)),
                sample(DeadLetter.class, "DeadLetter", deadLetter),
                sample(FeedbackEvent.class, "FeedbackEvent", new FeedbackEvent("f1", "acme", "c1", "kafka",
                        FeedbackAction.REJECT, "ana", T0)),
                sample(TagEvent.class, "TagEvent", tagEvent),
                sample(TagEvent.class, "TagEvent with nulls", added),
                sample(TagAssignment.class, "TagAssignment", assignment),
                sample(TagAssignment.class, "TagAssignment without model", authored),
                sample(TaggedContent.class, "TaggedContent", new TaggedContent(event, List.of(assignment, authored),
                        "tx-0123456789ab")),
                sample(TagChangeSet.class, "TagChangeSet", new TagChangeSet("acme", "c1", 4, 2, false, T0,
                        List.of(tagEvent, added), List.of(assignment), 85)),
                sample(TagChangeSet.class, "empty TagChangeSet", new TagChangeSet("acme", "c1", 5, 3, true, T0,
                        List.of(), List.of(), -1)),
                sample(GateState.class, "GateState", new GateState(7, List.of("e5", "e6", "e7"))),
                sample(TagAssignment.class, "TagAssignment from an LLM", new TagAssignment("kafka", "tech", 0.9,
                        TagSource.LLM, "gpt-4o-mini", "tag-v1", "mentions Kafka")),
                sample(ConfirmedExample.class, "ConfirmedExample", new ConfirmedExample("acme", "c1", "kafka", "Kafka",
                        "body", "en", true, "f1", T0, null, null).embedded("bge-small-en-v15", new float[] {0.25f, -0.5f})),
                sample(ConfirmedExample.class, "ConfirmedExample before embedding", new ConfirmedExample("acme", "c1",
                        "kafka", null, null, null, false, "f2", T0, null, null)),
                sample(ContentText.class, "ContentText", new ContentText("Kafka", null, "en")),
                sample(TagStat.class, "TagStat", new TagStat("acme", "topic::kafka", "topic", 1.25, 0.5, 3,
                        Math.log(4), T0, 1.0 / 3, List.of("topic::flink"), T0, 3_600_000, 1_800_000, 2.5, 1.5, 42L)),
                sample(TagStat.class, "TagStat without last use and rank", new TagStat("acme", "t", null, 0, 0, 0, 0,
                        null, 0, List.of(), T0, 3_600_000, 1_800_000, null, null, 0L)),
                sample(TagWeight.class, "TagWeight", weight),
                sample(TagWeightState.class, "TagWeightState", new TagWeightState(weight, 1_000L, TagWeightState.NO_TIMER)),
                sample(ContentTagState.class, "ContentTagState", new ContentTagState(3, 4, true, 80,
                        java.util.Map.of("kafka", assignment), java.util.Map.of("java", new TagVerdict(false, "ana", T0)))),
                sample(ContentInput.class, "ContentInput with feedback", ContentInput.of(new FeedbackEvent("f2", "acme",
                        "c1", "java", FeedbackAction.ADD, null, T0))),
                sample(TagDrop.class, "TagDrop", new TagDrop("acme", "c1", 4, "cobol", 0.4, "rule", "not in the taxonomy",
                        "tx-1", T0)),
                sample(TaxonomyCommand.class, "TaxonomyCommand", new TaxonomyCommand("m1", TaxonomyCommandType.MERGE,
                        null, "a", "b", java.util.Map.of("k", "v"), "curator", T0)),
                sample(ContentInput.class, "re-tag ContentInput", ContentInput.retag(new TaggedContent(event,
                        List.of(assignment), "tx-0123456789ab"))),
                sample(RetagInput.class, "stored RetagInput", RetagInput.stored(event, 1, 42L)),
                sample(RetagInput.class, "erased RetagInput", RetagInput.erased("acme/c9")),
                sample(SuggestRequest.class, "SuggestRequest", new SuggestRequest("r1", "s1", "acme",
                        SuggestAction.CONTINUE, "更夢幻", 2, true, T0)),
                sample(SuggestResponse.class, "SuggestResponse", suggestResponse()),
                sample(SuggestResponse.class, "SuggestResponse without result", new SuggestResponse("s1", null, "acme", 0,
                        SessionPhase.ABORTED, "unknown", null, null, null, false, "unknown session", 0, 0, 0, null, null)),
                sample(SessionState.class, "SessionState", new SessionState("s1", "acme", "精靈 森林", SessionPhase.REFINING,
                        3, 0.002, 120, 40, Map.of("validate", 2, "refine", 1), List.of(direction()), direction(),
                        List.of("短髮", "短髮"), List.of("appearance::pointy-ears"), 3, T0, T0, null, false)),
                sample(IdleCheck.class, "IdleCheck", new IdleCheck("s1", 7)));
    }

    private static SuggestDirection direction() {
        return new SuggestDirection("水彩: 精靈", List.of(
                new SuggestedTag("character::elf", "精靈", "character", 0.6, TagSource.RULE, "matched"),
                new SuggestedTag("appearance::short-hair", "短髮", "appearance", 1.0, TagSource.USER, null)), 95, true);
    }

    private static SuggestResponse suggestResponse() {
        return new SuggestResponse("s1", "r1", "acme", 2, SessionPhase.COMPLETED, "Done", List.of("scene?"),
                List.of(direction(), direction()), direction(), false, null, 0.01, 10, 5, Map.of("finalize", 1), T0);
    }

    private static ContentEvent contentEvent() {
        Map<String, String> metadata = new HashMap<>();
        metadata.put("author", "ann");
        metadata.put("words", "1200");
        metadata.put("editor", null);  // JSON null is a legal metadata value
        return new ContentEvent("e1", "acme", "c1", ContentOp.UPSERT, 4L, T0, "Kafka 與 Flink", "body", "zh-TW",
                "cms", metadata, List.of("kafka", "流處理"));
    }

    private static Arguments sample(Class<?> type, String name, Object sample) {
        return Arguments.of(Named.of(name, type), sample);
    }

    @SuppressWarnings("unchecked")
    private static <T> TypeSerializer<T> serializer(Class<?> type) {
        return (TypeSerializer<T>) TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
    }

    private static <T> T roundTrip(Class<?> type, T sample) throws IOException {
        TypeSerializer<T> serializer = serializer(type);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(sample, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        T copy = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left unread").isZero();
        return copy;
    }

    private static List<String> genericParts(TypeInformation<?> info) {
        List<String> generic = new ArrayList<>();
        collect(info, info.toString(), generic);
        return generic;
    }

    private static void collect(TypeInformation<?> info, String path, List<String> generic) {
        if (info instanceof GenericTypeInfo<?>) {
            generic.add(path);
        } else if (info instanceof CompositeType<?> composite) {
            for (int i = 0; i < composite.getArity(); i++) {
                collect(composite.getTypeAt(i), path + "." + composite.getFieldNames()[i], generic);
            }
        } else if (info instanceof ListTypeInfo<?> list) {
            collect(list.getElementTypeInfo(), path + "[]", generic);
        } else if (info instanceof MapTypeInfo<?, ?> map) {
            collect(map.getKeyTypeInfo(), path + "{key}", generic);
            collect(map.getValueTypeInfo(), path + "{value}", generic);
        }
    }
}
