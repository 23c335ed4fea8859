package io.tagstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
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

    private final IngestLimits limits;

    public TaxonomyCommandReader(IngestLimits limits) {
        this.limits = limits;
    }

    @Override
    public TaxonomyCommand read(byte[] raw, Instant readAt) throws InvalidRecordException {
        ObjectNode node = JsonFields.object(raw, limits.maxRecordBytes());
        TaxonomyCommandType command = JsonFields.requiredEnum(node, "command", TaxonomyCommandType.class);
        String tenant = node.hasNonNull("tenant") ? JsonFields.tenant(node, "tenant") : null;
        String tag = command == TaxonomyCommandType.SET_POLICY
                ? JsonFields.optionalName(node, "tag", FieldLimits.TAG_BYTES)
                : JsonFields.requiredTag(node, "tag");
        String target = NEED_TARGET.contains(command)
                ? JsonFields.requiredTag(node, "target")
                : JsonFields.optionalName(node, "target", FieldLimits.TAG_BYTES);
        return new TaxonomyCommand(
                JsonFields.requiredId(node, "command_id"),
                command,
                tenant,
                tag,
                target,
                attributes(node),
                JsonFields.optionalName(node, "actor", FieldLimits.NAME_BYTES),
                JsonFields.instant(node, "issued_at", readAt.plus(limits.maxFutureSkew())));
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
        if (value.size() > FieldLimits.MAX_ATTRIBUTES) {
            throw new InvalidRecordException("field 'attributes' has " + value.size() + " entries, more than "
                    + FieldLimits.MAX_ATTRIBUTES);
        }
        var fields = value.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            String key = JsonFields.name(entry.getKey(), "attributes key", FieldLimits.NAME_BYTES);
            if (!entry.getValue().isTextual()) {
                throw new InvalidRecordException("field 'attributes." + JsonFields.abbreviate(key) + "' must be a string");
            }
            String text = JsonFields.storable(entry.getValue().textValue());
            if (JsonFields.utf8Length(text) > FieldLimits.ATTRIBUTE_VALUE_BYTES) {
                throw new InvalidRecordException("field 'attributes." + JsonFields.abbreviate(key) + "' is more than "
                        + FieldLimits.ATTRIBUTE_VALUE_BYTES + " bytes in UTF-8");
            }
            attributes.put(key, text);
        }
        return attributes;
    }

    @Override
    public IngestLimits limits() {
        return limits;
    }
}
