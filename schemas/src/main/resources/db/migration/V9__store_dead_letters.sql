-- Records a store refused for good (a value it cannot hold, a mapping conflict), set aside by the
-- sinks so the job goes on; one row per store, target and record however often it is refused.
-- A store that is away is waited for instead: nothing lands here for a refused connection.
CREATE TABLE store_dead_letters (
    id          bigserial   PRIMARY KEY,
    store       text        NOT NULL CHECK (store IN ('postgresql', 'elasticsearch')),
    -- the table or index that refused the record
    target      text        NOT NULL,
    tenant      text,
    content_id  text,
    -- SHA-256 of the whole record as the sink had it
    record_id   text        NOT NULL,
    -- the record as JSON, cut to 256 KiB; bytes, since the refused value may be what text cannot hold
    record      bytea       NOT NULL,
    record_size integer     NOT NULL,
    error       text        NOT NULL,
    -- the store's code: a SQLSTATE, or an HTTP status and Elasticsearch's error type
    code        text,
    failed_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (store, target, record_id)
);

CREATE INDEX store_dead_letters_by_content ON store_dead_letters (tenant, content_id);

-- An erased content keeps no dead letters in the stores either: those already there go with the
-- tombstone, later ones are not stored.
CREATE TRIGGER store_dead_letters_keep_erased
    BEFORE INSERT ON store_dead_letters
    FOR EACH ROW EXECUTE FUNCTION skip_erased_content();

CREATE FUNCTION erase_store_dead_letters() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM store_dead_letters WHERE tenant = NEW.tenant AND content_id = NEW.content_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER content_erasures_erase_store_dead_letters
    AFTER INSERT ON content_erasures
    FOR EACH ROW EXECUTE FUNCTION erase_store_dead_letters();
