-- Interactive tag-suggestion sessions (suggest-jobs): one row per session, the latest state of
-- its state machine. Fixes over the seed's inspire_sessions: the abort reason and whether the idea
-- was refused are kept with the phase; a replayed or late write never moves a session back (the
-- sink only accepts more progress, or the same progress ending the session); times are event times.
CREATE TABLE suggest_sessions (
    session_id    text          PRIMARY KEY,
    tenant        text          NOT NULL,
    idea          text          NOT NULL,
    phase         text          NOT NULL CHECK (phase IN ('understanding', 'exploring', 'refining', 'finalizing',
                                                          'completed', 'aborted')),
    turns         integer       NOT NULL CHECK (turns >= 0),
    progress      bigint        NOT NULL CHECK (progress >= 0),
    cost          numeric(12,6) NOT NULL CHECK (cost >= 0),
    input_tokens  bigint        NOT NULL CHECK (input_tokens >= 0),
    output_tokens bigint        NOT NULL CHECK (output_tokens >= 0),
    tool_calls    jsonb         NOT NULL DEFAULT '{}',
    directions    jsonb         NOT NULL DEFAULT '[]',
    result        jsonb,
    quality_score integer       CHECK (quality_score BETWEEN 0 AND 100),
    refused       boolean       NOT NULL DEFAULT false,
    abort_reason  text,
    updated_at    timestamptz   NOT NULL,
    CHECK ((phase = 'aborted') = (abort_reason IS NOT NULL))
);

CREATE INDEX suggest_sessions_tenant ON suggest_sessions (tenant, updated_at DESC);
CREATE INDEX suggest_sessions_phase ON suggest_sessions (phase);
