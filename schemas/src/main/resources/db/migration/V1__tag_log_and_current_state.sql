-- The permanent log of tag changes. Append-only: rows are never updated or deleted here;
-- content_tags and the Elasticsearch indexes are views rebuilt from it.
CREATE TABLE tag_events (
    event_id            uuid PRIMARY KEY,
    tenant              text             NOT NULL,
    content_id          text             NOT NULL,
    content_version     bigint           NOT NULL,
    tag_version         bigint           NOT NULL,
    tag                 text             NOT NULL,
    dimension           text,
    action              text             NOT NULL CHECK (action IN ('ADDED', 'REMOVED', 'UPDATED', 'CONFIRMED', 'REJECTED')),
    confidence          double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    previous_confidence double precision CHECK (previous_confidence BETWEEN 0 AND 1),
    source              text             NOT NULL,
    model               text,
    prompt_version      text,
    taxonomy_version    text,
    reason              text,
    occurred_at         timestamptz      NOT NULL,
    processed_at        timestamptz,
    recorded_at         timestamptz      NOT NULL DEFAULT now()
);

-- content -> history (and as-of rebuilds): all events of one content in version order.
CREATE INDEX tag_events_by_content ON tag_events (tenant, content_id, tag_version);
-- tag -> contents over time.
CREATE INDEX tag_events_by_tag ON tag_events (tenant, tag, occurred_at);

CREATE FUNCTION tag_events_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tag_events is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER tag_events_append_only
    BEFORE UPDATE OR DELETE ON tag_events
    FOR EACH ROW EXECUTE FUNCTION tag_events_are_append_only();

-- Current tags per content: the latest state the log implies.
CREATE TABLE content_tags (
    tenant          text             NOT NULL,
    content_id      text             NOT NULL,
    tag             text             NOT NULL,
    dimension       text,
    confidence      double precision NOT NULL,
    source          text             NOT NULL,
    model           text,
    reason          text,
    content_version bigint           NOT NULL,
    tag_version     bigint           NOT NULL,
    tagged_at       timestamptz      NOT NULL,
    updated_at      timestamptz      NOT NULL,
    PRIMARY KEY (tenant, content_id, tag)
);

-- tag -> contents, ranked by confidence.
CREATE INDEX content_tags_by_tag ON content_tags (tenant, tag, confidence DESC);

-- Weight and usage of each tag per tenant; rows keep their last values after the job's state
-- lets a faded tag go.
CREATE TABLE tag_stats (
    tenant          text             NOT NULL,
    tag             text             NOT NULL,
    dimension       text,
    weight          double precision NOT NULL,
    usage_count     bigint           NOT NULL,
    usage_gain      double precision NOT NULL,
    last_used       timestamptz,
    feedback_score  double precision NOT NULL DEFAULT 0,
    top_cooccurring text[]           NOT NULL DEFAULT '{}',
    updated_at      timestamptz      NOT NULL,
    PRIMARY KEY (tenant, tag)
);

CREATE INDEX tag_stats_by_weight ON tag_stats (tenant, dimension, weight DESC);

-- The taxonomy as loaded; the knowledge graph builds on these.
CREATE TABLE taxonomy_versions (
    taxonomy_version text        PRIMARY KEY,
    source           text        NOT NULL,
    tag_count        integer     NOT NULL,
    loaded_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE taxonomy_dimensions (
    dimension   text PRIMARY KEY,
    label       text NOT NULL,
    description text
);

CREATE TABLE taxonomy_tags (
    tag         text PRIMARY KEY,
    dimension   text NOT NULL REFERENCES taxonomy_dimensions (dimension),
    label       text NOT NULL,
    description text,
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deprecated', 'blocked', 'merged')),
    nsfw_level  text NOT NULL DEFAULT 'all-ages' CHECK (nsfw_level IN ('all-ages', 'r15', 'r18', 'blocked')),
    sensitive   boolean NOT NULL DEFAULT false
);

CREATE TABLE taxonomy_aliases (
    alias text NOT NULL,
    tag   text NOT NULL REFERENCES taxonomy_tags (tag) ON DELETE CASCADE,
    PRIMARY KEY (alias, tag)
);

-- Calls to a language model, with their cost.
CREATE TABLE llm_usage (
    id            bigserial PRIMARY KEY,
    tenant        text        NOT NULL,
    content_id    text,
    model         text        NOT NULL,
    purpose       text        NOT NULL,
    input_tokens  integer     NOT NULL DEFAULT 0,
    output_tokens integer     NOT NULL DEFAULT 0,
    cost_usd      numeric(12, 6),
    latency_ms    integer,
    outcome       text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX llm_usage_by_tenant ON llm_usage (tenant, created_at);

-- Records the pipeline could not accept, kept for replay.
CREATE TABLE dead_letters (
    id               bigserial PRIMARY KEY,
    stage            text        NOT NULL,
    error            text        NOT NULL,
    topic            text        NOT NULL,
    kafka_partition  integer     NOT NULL,
    kafka_offset     bigint      NOT NULL,
    record_timestamp timestamptz,
    record_key       bytea,
    raw              bytea       NOT NULL,
    raw_truncated    boolean     NOT NULL,
    raw_size         integer     NOT NULL,
    failed_at        timestamptz NOT NULL,
    replayed_at      timestamptz,
    -- a replayed or re-read source record is recorded once
    UNIQUE (topic, kafka_partition, kafka_offset, stage)
);
