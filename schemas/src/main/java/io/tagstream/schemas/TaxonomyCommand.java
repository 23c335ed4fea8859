package io.tagstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tagstream.schemas.flink.RecordTypeInfoFactory;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A change to the taxonomy on {@code taxonomy.commands}; see
 * {@code schemas/taxonomy-command.schema.json} for which fields each {@link TaxonomyCommandType}
 * needs.
 *
 * @param tenant {@code null} for the global taxonomy
 * @param tag the tag the command is about (the source of a merge or rename)
 * @param target the other tag: merge and rename target, implied or conflicting tag
 * @param attributes label, description, dimension, nsfw level, alias, policy settings
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@TypeInfo(RecordTypeInfoFactory.class)
public record TaxonomyCommand(
        String commandId,
        TaxonomyCommandType command,
        String tenant,
        String tag,
        String target,
        Map<String, String> attributes,
        String actor,
        Instant issuedAt) {

    public TaxonomyCommand {
        attributes = attributes == null ? new HashMap<>() : new HashMap<>(attributes);
    }
}
