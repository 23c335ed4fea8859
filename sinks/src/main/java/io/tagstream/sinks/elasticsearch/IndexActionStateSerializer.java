package io.tagstream.sinks.elasticsearch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/** Buffered documents in checkpoints: index, id, version and source as length-prefixed UTF-8. */
final class IndexActionStateSerializer extends AsyncSinkWriterStateSerializer<IndexAction> {

    @Override
    protected void serializeRequestToStream(IndexAction action, DataOutputStream out) throws IOException {
        writeString(out, action.index());
        writeString(out, action.id());
        out.writeLong(action.version());
        writeString(out, action.sourceJson());
    }

    @Override
    protected IndexAction deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        String index = readString(in);
        String id = readString(in);
        long version = in.readLong();
        return new IndexAction(index, id, version, readString(in));
    }

    @Override
    public int getVersion() {
        return 1;
    }

    // writeUTF is limited to 64 KiB; documents can be larger.
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
