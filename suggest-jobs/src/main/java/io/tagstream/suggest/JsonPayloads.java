package io.tagstream.suggest;

import com.google.protobuf.ByteString;
import io.tagstream.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.statefun.flink.core.generated.Payload;
import org.apache.flink.statefun.flink.core.message.MessagePayloadSerializer;

/**
 * Stateful Functions message payloads as the project's JSON ({@link Json}) under their class name,
 * instead of Stateful Functions' Kryo default: the messages in flight (and in checkpoints, on the
 * feedback loop) stay readable and never depend on Kryo. Payloads are the contract records of the
 * suggestion sessions.
 */
public final class JsonPayloads implements MessagePayloadSerializer {

    @Override
    public Payload serialize(Object payload) {
        return Payload.newBuilder()
                .setClassName(payload.getClass().getName())
                .setPayloadBytes(ByteString.copyFrom(Json.toBytes(payload)))
                .build();
    }

    @Override
    public Object deserialize(ClassLoader classLoader, Payload payload) {
        try {
            Class<?> type = Class.forName(payload.getClassName(), false, classLoader);
            return Json.mapper().readValue(payload.getPayloadBytes().toByteArray(), type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("unknown message payload type " + payload.getClassName(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a " + payload.getClassName() + " message payload", e);
        }
    }

    /** Payloads are immutable records, so the copy is a round trip only to detach it from its sender. */
    @Override
    public Object copy(ClassLoader classLoader, Object payload) {
        return deserialize(classLoader, serialize(payload));
    }
}
