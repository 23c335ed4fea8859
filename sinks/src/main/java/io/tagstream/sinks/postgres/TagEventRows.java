package io.tagstream.sinks.postgres;

import io.tagstream.schemas.TagAction;
import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

/** Reads rows of {@code tag_events} back into {@link TagEvent}s: the reverse of {@link TagEventStatement}. */
public final class TagEventRows {
    /** The columns {@link #read} expects, in this order; select them with this list. */
    public static final String COLUMNS = "event_id, tenant, content_id, content_version, tag_version, tag, dimension, "
            + "action, confidence, previous_confidence, source, model, prompt_version, taxonomy_version, reason, "
            + "occurred_at, processed_at";

    private TagEventRows() {}

    public static TagEvent read(ResultSet rs) throws SQLException {
        double previous = rs.getDouble(10);
        Double previousConfidence = rs.wasNull() ? null : previous;
        return new TagEvent(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getString(6),
                rs.getString(7),
                TagAction.valueOf(rs.getString(8)),
                rs.getDouble(9),
                previousConfidence,
                TagSource.valueOf(rs.getString(11).toUpperCase(Locale.ROOT)),
                rs.getString(12),
                rs.getString(13),
                rs.getString(14),
                rs.getString(15),
                instant(rs, 16),
                instant(rs, 17));
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
