-- Tag weights (issue 5): what the weight operator writes to tag_stats beside V1's columns, and
-- the indexes the trending queries use. See docs/weights.md for the meaning of every column.
--
-- updated_at (V1) is the event time of the latest event applied to the tag, and weight is as of
-- that time; decay it to any later time T as weight * 2^(-(T - updated_at) / half_life_ms).
ALTER TABLE tag_stats
    ADD COLUMN trend_weight       double precision NOT NULL DEFAULT 0,
    ADD COLUMN half_life_ms       bigint           NOT NULL DEFAULT 604800000 CHECK (half_life_ms > 0),
    ADD COLUMN trend_half_life_ms bigint           NOT NULL DEFAULT 86400000 CHECK (trend_half_life_ms > 0),
    ADD COLUMN decay_rank         double precision,
    ADD COLUMN trend_rank         double precision,
    ADD COLUMN version            bigint           NOT NULL DEFAULT 0;

-- The defaults only fill rows written before this migration; every writer states the values.
ALTER TABLE tag_stats
    ALTER COLUMN trend_weight DROP DEFAULT,
    ALTER COLUMN half_life_ms DROP DEFAULT,
    ALTER COLUMN trend_half_life_ms DROP DEFAULT,
    ALTER COLUMN version DROP DEFAULT;

COMMENT ON COLUMN tag_stats.weight IS
    'sum of the uses'' confidence * (1 + feedback_score), each decayed with half_life_ms to updated_at';
COMMENT ON COLUMN tag_stats.trend_weight IS 'the same sum decayed with trend_half_life_ms';
COMMENT ON COLUMN tag_stats.updated_at IS 'event time of the latest event applied; the weights are as of it';
COMMENT ON COLUMN tag_stats.decay_rank IS
    'log2(weight) + updated_at in epoch ms / half_life_ms: descending order = heaviest at any later time';
COMMENT ON COLUMN tag_stats.trend_rank IS 'the same as decay_rank for trend_weight and trend_half_life_ms';
COMMENT ON COLUMN tag_stats.version IS 'orders the stats of one tag; an upsert only ever raises it';

-- Top N by decayed weight, per tenant and dimension or over all of a tenant's dimensions.
CREATE INDEX tag_stats_by_decay_rank ON tag_stats (tenant, dimension, decay_rank DESC NULLS LAST);
CREATE INDEX tag_stats_by_tenant_decay_rank ON tag_stats (tenant, decay_rank DESC NULLS LAST);
