package io.tagstream.schemas.flink;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;

/**
 * Gives a Java record Flink's POJO serializer with typed {@code List} and {@code Map} fields.
 * Flink 1.20 reads records as POJOs but types their collection fields as generic (Kryo), and the
 * Kryo that Flink ships cannot rebuild records. Annotate a record with
 * {@code @TypeInfo(RecordTypeInfoFactory.class)} to use it.
 */
public final class RecordTypeInfoFactory<T> extends TypeInfoFactory<T> {

    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<T> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        Class<T> type = (Class<T>) (t instanceof ParameterizedType p ? p.getRawType() : t);
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        List<PojoField> fields = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            try {
                Field field = type.getDeclaredField(component.getName());
                fields.add(new PojoField(field, typeOf(component.getGenericType())));
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("record component without field: " + component, e);
            }
        }
        return new PojoTypeInfo<>(type, fields);
    }

    private static TypeInformation<?> typeOf(Type type) {
        if (type instanceof ParameterizedType p) {
            Type raw = p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return new ListTypeInfo<>(typeOf(args[0]));
            }
            if (raw == Map.class) {
                return new MapTypeInfo<>(typeOf(args[0]), typeOf(args[1]));
            }
        }
        return TypeExtractor.createTypeInfo(type);
    }
}
