-- The knowledge graph around taxonomy_tags (V1). Fixes over the seed's schema: conflicts are stored
-- once per unordered pair (so they are symmetric by construction), views are not refreshed
-- concurrently without unique indexes (there are none here: the graph is read into the job), and
-- similar-name search has pg_trgm.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE taxonomy_tags ADD COLUMN broader text REFERENCES taxonomy_tags (tag);
ALTER TABLE taxonomy_tags ADD COLUMN merged_into text REFERENCES taxonomy_tags (tag);

CREATE INDEX taxonomy_tags_label_trgm ON taxonomy_tags USING gin (label gin_trgm_ops);
CREATE INDEX taxonomy_aliases_alias_trgm ON taxonomy_aliases USING gin (alias gin_trgm_ops);

CREATE TABLE taxonomy_implications (
    tag     text NOT NULL REFERENCES taxonomy_tags (tag) ON DELETE CASCADE,
    implied text NOT NULL REFERENCES taxonomy_tags (tag) ON DELETE CASCADE,
    PRIMARY KEY (tag, implied),
    CHECK (tag <> implied)
);

CREATE TABLE taxonomy_conflicts (
    tag_a text NOT NULL REFERENCES taxonomy_tags (tag) ON DELETE CASCADE,
    tag_b text NOT NULL REFERENCES taxonomy_tags (tag) ON DELETE CASCADE,
    PRIMARY KEY (tag_a, tag_b),
    -- one row per unordered pair: (a, b) with a < b
    CHECK (tag_a < tag_b)
);

CREATE TABLE taxonomy_related (
    tag     text NOT NULL REFERENCES taxonomy_tags (tag) ON DELETE CASCADE,
    related text NOT NULL REFERENCES taxonomy_tags (tag) ON DELETE CASCADE,
    PRIMARY KEY (tag, related),
    CHECK (tag <> related)
);

CREATE TABLE tenant_policies (
    tenant           text    PRIMARY KEY,
    max_nsfw         text    NOT NULL DEFAULT 'all-ages' CHECK (max_nsfw IN ('all-ages', 'r15', 'r18')),
    strict_conflicts boolean NOT NULL DEFAULT false,
    blocked_tags     text[]  NOT NULL DEFAULT '{}'
);

-- Taxonomy commands the running job applied, in the order it applied them.
CREATE TABLE taxonomy_commands (
    command_id  text        PRIMARY KEY,
    command     text        NOT NULL,
    tenant      text,
    tag         text,
    target      text,
    attributes  jsonb       NOT NULL DEFAULT '{}',
    actor       text,
    issued_at   timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Proposed tags that did not become part of a content, with the reason (conflict, rejected by a
-- user, not in the taxonomy, below top k, blocked -- blocked ones without their name).
CREATE TABLE tag_drops (
    tenant           text             NOT NULL,
    content_id       text             NOT NULL,
    content_version  bigint           NOT NULL,
    tag              text             NOT NULL,
    confidence       double precision NOT NULL,
    source           text             NOT NULL,
    reason           text             NOT NULL,
    taxonomy_version text             NOT NULL,
    occurred_at      timestamptz      NOT NULL,
    PRIMARY KEY (tenant, content_id, content_version, tag, reason)
);

-- How many contents carry both tags, per tenant (a < b), and each tag alone (b = ''), for PMI and lift.
CREATE TABLE tag_cooccurrence (
    tenant     text        NOT NULL,
    tag_a      text        NOT NULL,
    tag_b      text        NOT NULL,
    contents   bigint      NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, tag_a, tag_b)
);

-- Pairs of tags that look like the same thing, for a person to review; never merged automatically.
CREATE TABLE tag_merge_candidates (
    tag_a      text             NOT NULL,
    tag_b      text             NOT NULL,
    similarity double precision NOT NULL,
    evidence   text             NOT NULL,
    status     text             NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'merged', 'dismissed')),
    found_at   timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (tag_a, tag_b),
    CHECK (tag_a < tag_b)
);
