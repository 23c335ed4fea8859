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
import io.tagstream.udfs.content.GateState;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.feedback.ConfirmedExample;
import io.tagstream.udfs.feedback.ContentText;
import io.tagstream.udfs.tagging.TagAssignment;
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
        TaggedContent.class, TagChangeSet.class, GateState.class, ConfirmedExample.class, ContentText.class
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
                        List.of(tagEvent, added), List.of(assignment))),
                sample(TagChangeSet.class, "empty TagChangeSet", new TagChangeSet("acme", "c1", 5, 3, true, T0,
                        List.of(), List.of())),
                sample(GateState.class, "GateState", new GateState(7, List.of("e5", "e6", "e7"))),
                sample(TagAssignment.class, "TagAssignment from an LLM", new TagAssignment("kafka", "tech", 0.9,
                        TagSource.LLM, "gpt-4o-mini", "tag-v1", "mentions Kafka")),
                sample(ConfirmedExample.class, "ConfirmedExample", new ConfirmedExample("acme", "c1", "kafka", "Kafka",
                        "body", "en", true, "f1", T0, null, null).embedded("bge-small-en-v15", new float[] {0.25f, -0.5f})),
                sample(ConfirmedExample.class, "ConfirmedExample before embedding", new ConfirmedExample("acme", "c1",
                        "kafka", null, null, null, false, "f2", T0, null, null)),
                sample(ContentText.class, "ContentText", new ContentText("Kafka", null, "en")));
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
