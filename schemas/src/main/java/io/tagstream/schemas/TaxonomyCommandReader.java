package io.tagstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates one TaxonomyCommand; see {@code schemas/taxonomy-command.schema.json}. It
 * checks the shape of a command only; whether it makes sense for the graph (does the tag exist?)
 * is the knowledge graph's call.
 */
public final class TaxonomyCommandReader implements RecordReader<TaxonomyCommand> {
    private static final long serialVersionUID = 1L;

    private static final Set<TaxonomyCommandType> NEED_TARGET = EnumSet.of(TaxonomyCommandType.MERGE,
            TaxonomyCommandType.RENAME, TaxonomyCommandType.ADD_IMPLICATION, TaxonomyCommandType.ADD_CONFLICT);

    private final int maxRecordBytes;

    public TaxonomyCommandReader(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public TaxonomyCommand read(byte[] raw) throws InvalidRecordException {
        ObjectNode node = JsonFields.object(raw, maxRecordBytes);
        TaxonomyCommandType command = JsonFields.requiredEnum(node, "command", TaxonomyCommandType.class);
        String tenant = node.hasNonNull("tenant") ? JsonFields.tenant(node, "tenant") : null;
        String tag = command == TaxonomyCommandType.SET_POLICY
                ? JsonFields.optionalText(node, "tag")
                : JsonFields.requiredId(node, "tag");
        String target = NEED_TARGET.contains(command)
                ? JsonFields.requiredId(node, "target")
                : JsonFields.optionalText(node, "target");
        return new TaxonomyCommand(
                JsonFields.requiredId(node, "command_id"),
                command,
                tenant,
                tag,
                target,
                attributes(node),
                JsonFields.optionalText(node, "actor"),
                JsonFields.instant(node, "issued_at"));
    }

    private static Map<String, String> attributes(ObjectNode node) throws InvalidRecordException {
        Map<String, String> attributes = new HashMap<>();
        JsonNode value = node.get("attributes");
        if (value == null || value.isNull()) {
            return attributes;
        }
        if (!value.isObject()) {
            throw new InvalidRecordException("field 'attributes' must be an object, was " + JsonFields.typeOf(value));
        }
        var fields = value.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw new InvalidRecordException("field 'attributes." + entry.getKey() + "' must be a string");
            }
            attributes.put(entry.getKey(), entry.getValue().textValue());
        }
        return attributes;
    }

    @Override
    public int maxRecordBytes() {
        return maxRecordBytes;
    }
}
