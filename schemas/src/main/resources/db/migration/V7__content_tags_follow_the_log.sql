-- content_tags follows the log inside the database. The sink used to write each event with a
-- statement of its own that logged it and applied it (a data-modifying CTE per row); now it
-- appends events in multi-row INSERTs, and this statement-level trigger applies, once per
-- statement, the events that statement really appended. A replayed event is not in the
-- transition table (ON CONFLICT DO NOTHING skipped it, as skip_erased_content() skips the events
-- of an erased content), so a replay changes nothing: the guard the CTE had, kept.
--
-- The result is what applying the appended events one by one in tag_version order would give:
--   1. a removal (REMOVED, REJECTED) at version r deletes the row if the row is not newer than r;
--   2. the newest event after the statement's last removal of the tag, if it is not a removal,
--      is upserted unless the row is newer; a new row's tagged_at is when that run of the tag
--      began (its first event after the last removal), an existing row keeps its tagged_at.
-- ViewRebuild.rebuildContentTags() computes the same from the whole log.
CREATE FUNCTION content_tags_follow_the_log() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM content_tags ct
    USING (
        SELECT tenant, content_id, tag, max(tag_version) AS tag_version
        FROM appended
        WHERE action IN ('REMOVED', 'REJECTED')
        GROUP BY tenant, content_id, tag
    ) removal
    WHERE ct.tenant = removal.tenant AND ct.content_id = removal.content_id AND ct.tag = removal.tag
      AND ct.tag_version <= removal.tag_version;

    INSERT INTO content_tags AS ct (tenant, content_id, tag, dimension, confidence, source, model, reason,
                                    content_version, tag_version, tagged_at, updated_at)
    SELECT tenant, content_id, tag, dimension, confidence, source, model, reason,
           content_version, tag_version, run_started_at, occurred_at
    FROM (
        SELECT *,
               first_value(occurred_at) OVER run AS run_started_at,
               row_number() OVER (PARTITION BY tenant, content_id, tag ORDER BY tag_version DESC, event_id) AS newest
        FROM (
            SELECT *, coalesce(count(*) FILTER (WHERE action IN ('REMOVED', 'REJECTED')) OVER (
                          PARTITION BY tenant, content_id, tag ORDER BY tag_version, event_id
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS removals_before
            FROM appended
        ) counted
        WINDOW run AS (PARTITION BY tenant, content_id, tag, removals_before ORDER BY tag_version, event_id)
    ) runs
    WHERE newest = 1 AND action NOT IN ('REMOVED', 'REJECTED')
    ON CONFLICT (tenant, content_id, tag) DO UPDATE
    SET dimension = EXCLUDED.dimension, confidence = EXCLUDED.confidence,
        source = EXCLUDED.source, model = EXCLUDED.model, reason = EXCLUDED.reason,
        content_version = EXCLUDED.content_version, tag_version = EXCLUDED.tag_version,
        updated_at = EXCLUDED.updated_at
    WHERE ct.tag_version <= EXCLUDED.tag_version;
    RETURN NULL;
END;
$$;

CREATE TRIGGER content_tags_follow_the_log
    AFTER INSERT ON tag_events
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION content_tags_follow_the_log();
