package io.tagstream.schemas;

/**
 * The fixed part of the input contract: what each field of a record on a topic the jobs read may
 * hold. Lengths are bytes of UTF-8, since that is what the stores count: Elasticsearch ids (512),
 * PostgreSQL B-tree entries (about 2,700 per row), Lucene terms (32,766). Every record that passes
 * them fits every store. The same limits are written in the JSON Schemas and in
 * {@code docs/contracts.md}.
 */
public final class FieldLimits {
    /** event, content, command, request and session ids. */
    public static final int ID_BYTES = 512;
    /** A tag id or a tag label: user tags, feedback tags, taxonomy tags and their targets. */
    public static final int TAG_BYTES = 256;
    /** A short name: actor, source, a metadata or attribute key. */
    public static final int NAME_BYTES = 256;
    /** A BCP-47 language tag. */
    public static final int LANG_BYTES = 35;
    public static final int MAX_USER_TAGS = 64;
    public static final int MAX_METADATA_ENTRIES = 64;
    public static final int METADATA_VALUE_BYTES = 4096;
    public static final int MAX_ATTRIBUTES = 32;
    /** A taxonomy attribute: a label, an alias, a description, a policy setting. */
    public static final int ATTRIBUTE_VALUE_BYTES = 1024;

    private FieldLimits() {}
}
