-- Confirmed examples the embedding tagger learns from: one row per (tenant, content, tag, model),
-- written from ACCEPT/ADD feedback (active) and withdrawn by REJECT/REMOVE (inactive). Taggers
-- read the rows changed since the last revision they saw.
CREATE SEQUENCE tag_examples_revision;

CREATE TABLE tag_examples (
    tenant       text        NOT NULL,
    content_id   text        NOT NULL,
    tag          text        NOT NULL,
    model        text        NOT NULL,
    text         text        NOT NULL,
    vector       real[]      NOT NULL,
    active       boolean     NOT NULL,
    source       text        NOT NULL CHECK (source IN ('feedback', 'labelled')),
    event_id     text,
    occurred_at  timestamptz NOT NULL,
    revision     bigint      NOT NULL DEFAULT nextval('tag_examples_revision'),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, content_id, tag, model)
);

CREATE INDEX tag_examples_by_revision ON tag_examples (revision);

-- Tags a language model proposed that the taxonomy lacks, for a person to review.
CREATE TABLE tag_candidates (
    tenant             text             NOT NULL,
    label              text             NOT NULL,
    dimension          text             NOT NULL DEFAULT '',
    model              text,
    prompt_version     text,
    example_content_id text,
    confidence         double precision,
    reason             text,
    occurrences        bigint           NOT NULL DEFAULT 1,
    first_seen         timestamptz      NOT NULL DEFAULT now(),
    last_seen          timestamptz      NOT NULL DEFAULT now(),
    status             text             NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected', 'merged')),
    PRIMARY KEY (tenant, label, dimension)
);

-- Which prompt and which attempt a call was, and why it failed.
ALTER TABLE llm_usage
    ADD COLUMN prompt_version text,
    ADD COLUMN attempt        integer,
    ADD COLUMN error          text;
