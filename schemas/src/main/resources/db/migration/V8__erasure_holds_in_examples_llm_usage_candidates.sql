-- An erased content stays erased in the tables of intelligent tagging (V3) too, whatever the
-- pipeline replays. V5 guards tag_events, tag_drops and dead_letters; but a late or replayed
-- ACCEPT/ADD feedback wrote the erased content's text back into tag_examples (the tagging job
-- keeps each content's latest text in its state), the examples loader could load it again, and a
-- replayed content's model calls and proposals linked llm_usage and tag_candidates to it again.
-- See docs/decisions/0005-erasure-in-an-append-only-log.md.

-- tag_examples: an example of an erased content (its text and vector) is not stored. Both writers,
-- the job's feedback sink and `tagstream examples`, use TagExampleStatement's INSERT ... ON
-- CONFLICT; a BEFORE INSERT trigger that returns NULL skips the row before the conflict is looked at.
CREATE TRIGGER tag_examples_keep_erased
    BEFORE INSERT ON tag_examples
    FOR EACH ROW EXECUTE FUNCTION skip_erased_content();

-- A row kept without its link to an erased content: when the column named by the trigger's first
-- argument names an erased content of the row's tenant, that column and the others named after it
-- are stored NULL.
CREATE FUNCTION unlink_erased_content() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM content_erasures e
               WHERE e.tenant = NEW.tenant AND e.content_id = to_jsonb(NEW) ->> TG_ARGV[0]) THEN
        NEW := jsonb_populate_record(NEW, (SELECT jsonb_object_agg(c, NULL) FROM unnest(TG_ARGV) c));
    END IF;
    RETURN NEW;
END;
$$;

-- llm_usage: the call and its cost stay, not its link to the content nor its error text (it may
-- quote the model's answer about the content).
CREATE TRIGGER llm_usage_keep_erased
    BEFORE INSERT OR UPDATE OF content_id ON llm_usage
    FOR EACH ROW EXECUTE FUNCTION unlink_erased_content('content_id', 'error');

-- tag_candidates: a proposal stays for review (or is counted), but never as an example of an
-- erased content, nor with the model's reason for it (written with the example, it may quote it).
CREATE TRIGGER tag_candidates_keep_erased
    BEFORE INSERT OR UPDATE OF example_content_id ON tag_candidates
    FOR EACH ROW EXECUTE FUNCTION unlink_erased_content('example_content_id', 'reason');

-- Removes an erased content's examples and unlinks its model calls and candidates, as the triggers
-- above would have stored them. Writers of the three tables wait until the calling transaction
-- ends: one that began before is cleaned up here, one that begins after meets the tombstone.
CREATE FUNCTION clear_erased_content(p_tenant text, p_content_id text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE tag_examples, tag_candidates, llm_usage IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM tag_examples WHERE tenant = p_tenant AND content_id = p_content_id;
    UPDATE llm_usage SET content_id = NULL, error = NULL WHERE tenant = p_tenant AND content_id = p_content_id;
    UPDATE tag_candidates SET example_content_id = NULL, reason = NULL
    WHERE tenant = p_tenant AND example_content_id = p_content_id;
END;
$$;

-- Every tombstone does it, in erase_content()'s transaction: erase_content() alone is complete
-- (ContentErasure used to clean tag_examples and tag_candidates in Java beside it).
CREATE FUNCTION content_erasures_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM clear_erased_content(NEW.tenant, NEW.content_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER content_erasures_clear
    AFTER INSERT ON content_erasures
    FOR EACH ROW EXECUTE FUNCTION content_erasures_clear();

-- What came back before this migration: examples written by late feedback after an erasure, links
-- made by a replay, or left by a direct call of erase_content().
SELECT clear_erased_content(tenant, content_id) FROM content_erasures;
