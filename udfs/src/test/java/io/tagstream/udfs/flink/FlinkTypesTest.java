package io.tagstream.udfs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.schemas.IngestedContent;
import io.tagstream.schemas.TagEvent;
import io.tagstream.udfs.content.GateState;
import io.tagstream.udfs.content.TagChangeSet;
import io.tagstream.udfs.content.TaggedContent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every type that crosses the network or sits in state must get a Flink serializer, never the
 * Kryo fallback (which cannot rebuild Java records). The job also disables generic types, so a
 * regression fails there too; this test names the culprit.
 */
class FlinkTypesTest {

    @ParameterizedTest
    @ValueSource(classes = {
        ContentEvent.class, IngestedContent.class, TagEvent.class, TagAssignment.class,
        TaggedContent.class, TagChangeSet.class, GateState.class
    })
    void isSerializedWithoutKryo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertThat(genericParts(info)).as("fields that would fall back to Kryo").isEmpty();
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
