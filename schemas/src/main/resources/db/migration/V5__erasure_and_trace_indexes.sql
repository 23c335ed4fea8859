-- Erasure of a content, and the indexes the trace queries rank by.
-- See docs/decisions/0005-erasure-in-an-append-only-log.md.

-- The tombstone of an erased content: the minimal audit record that stays, and the guard that
-- keeps the content erased when the pipeline replays, re-tags or rebuilds. Append-only.
CREATE TABLE content_erasures (
    tenant           text        NOT NULL,
    content_id       text        NOT NULL,
    -- tenant || '/' || content_id in UTF-8: the Kafka record key, to find the content's dead letters
    content_key      bytea       NOT NULL UNIQUE,
    erased_at        timestamptz NOT NULL DEFAULT now(),
    requested_by     text        NOT NULL,
    last_tag_version bigint      NOT NULL,
    events_purged    integer     NOT NULL,
    PRIMARY KEY (tenant, content_id)
);

CREATE FUNCTION content_erasures_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'content_erasures is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER content_erasures_append_only
    BEFORE UPDATE OR DELETE ON content_erasures
    FOR EACH ROW EXECUTE FUNCTION content_erasures_are_append_only();

-- tag_events stays append-only, with one exception: the events of a content that has a
-- tombstone may be deleted (erase_content does it in the transaction that writes the tombstone).
-- Nothing can leave the log without a record that says so.
CREATE OR REPLACE FUNCTION tag_events_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM content_erasures e WHERE e.tenant = OLD.tenant AND e.content_id = OLD.content_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'tag_events is append-only: % is not allowed (erase_content() removes the events of an erased content)', TG_OP;
END;
$$;

-- An erased content stays erased: events for it (a replay, a re-tag, a late event) are not
-- stored, and so never reach content_tags either (TagEventStatement only applies logged rows);
-- nor are the tags dropped from it.
CREATE FUNCTION skip_erased_content() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM content_erasures e WHERE e.tenant = NEW.tenant AND e.content_id = NEW.content_id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER tag_events_keep_erased
    BEFORE INSERT ON tag_events
    FOR EACH ROW EXECUTE FUNCTION skip_erased_content();

CREATE TRIGGER tag_drops_keep_erased
    BEFORE INSERT ON tag_drops
    FOR EACH ROW EXECUTE FUNCTION skip_erased_content();

-- Dead letters hold raw input bytes; those keyed by an erased content are not stored again.
CREATE FUNCTION dead_letters_skip_erased() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.record_key IS NOT NULL AND EXISTS (SELECT 1 FROM content_erasures e WHERE e.content_key = NEW.record_key) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER dead_letters_keep_erased
    BEFORE INSERT ON dead_letters
    FOR EACH ROW EXECUTE FUNCTION dead_letters_skip_erased();

-- Erases one content in one transaction and returns its tombstone; erasing it again returns
-- the first tombstone. The tombstone may precede the content's first event.
CREATE FUNCTION erase_content(p_tenant text, p_content_id text, p_requested_by text)
RETURNS content_erasures
LANGUAGE plpgsql AS $$
DECLARE
    erasure content_erasures;
BEGIN
    -- Writers of tag_events wait until this transaction ends, so no event of the content can
    -- be stored between the count below and the tombstone becoming visible. Readers go on.
    LOCK TABLE tag_events IN SHARE ROW EXCLUSIVE MODE;
    SELECT * INTO erasure FROM content_erasures WHERE tenant = p_tenant AND content_id = p_content_id;
    IF FOUND THEN
        RETURN erasure;
    END IF;
    INSERT INTO content_erasures (tenant, content_id, content_key, requested_by, last_tag_version, events_purged)
    SELECT p_tenant, p_content_id, convert_to(p_tenant || '/' || p_content_id, 'UTF8'), p_requested_by,
           coalesce(max(tag_version), 0), count(*)
    FROM tag_events
    WHERE tenant = p_tenant AND content_id = p_content_id
    RETURNING * INTO erasure;
    DELETE FROM tag_events WHERE tenant = p_tenant AND content_id = p_content_id;
    DELETE FROM content_tags WHERE tenant = p_tenant AND content_id = p_content_id;
    DELETE FROM tag_drops WHERE tenant = p_tenant AND content_id = p_content_id;
    DELETE FROM dead_letters WHERE record_key = erasure.content_key;
    -- the cost of past model calls stays; their link to the content goes
    UPDATE llm_usage SET content_id = NULL WHERE tenant = p_tenant AND content_id = p_content_id;
    RETURN erasure;
END;
$$;

-- tag -> contents, ranked by confidence or by recency, with a unique order for paging.
DROP INDEX content_tags_by_tag;
CREATE INDEX content_tags_by_tag_confidence ON content_tags (tenant, tag, confidence DESC, content_id DESC);
CREATE INDEX content_tags_by_tag_recency ON content_tags (tenant, tag, tagged_at DESC, content_id DESC);

-- rising tags: a tenant's events in a time window.
CREATE INDEX tag_events_by_time ON tag_events (tenant, occurred_at);
