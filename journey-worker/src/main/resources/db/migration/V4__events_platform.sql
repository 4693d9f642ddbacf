-- Devices: registered by SDKs; a device may belong to a user. The first registration records
-- the system event @first_session. token_status turns 'dead' when a push provider rejects the token.
CREATE TABLE device (
    project_id    text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    device_id     text NOT NULL,
    user_id       text,
    platform      text NOT NULL,
    push_token    text,
    token_status  text NOT NULL DEFAULT 'active',
    timezone      text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, device_id)
);
CREATE INDEX device_by_user ON device (project_id, user_id) WHERE user_id IS NOT NULL;

-- Tag conditions (segments, branches) use containment on tags: tags @> '{"tier": "gold"}'.
CREATE INDEX app_user_tags ON app_user USING gin (tags jsonb_path_ops);

-- The event catalog, aggregated by the dispatcher from each batch it claims (never per request).
-- properties: property name -> string | number | time | boolean | array<string> | array<number> | mixed.
CREATE TABLE event_type (
    project_id     text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name           text NOT NULL,
    source         text NOT NULL,
    description    text,
    first_seen_at  timestamptz,
    last_seen_at   timestamptz,
    count          bigint NOT NULL DEFAULT 0,
    properties     jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);

-- The type of one property value as the catalog names it.
CREATE FUNCTION event_value_type(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(v)
        WHEN 'string' THEN CASE WHEN v #>> '{}' ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$'
                                THEN 'time' ELSE 'string' END
        WHEN 'number' THEN 'number'
        WHEN 'boolean' THEN 'boolean'
        WHEN 'array' THEN CASE
            WHEN jsonb_array_length(v) = 0 THEN NULL
            WHEN jsonb_typeof(v -> 0) = 'number' THEN 'array<number>'
            ELSE 'array<string>' END
        ELSE NULL END
$$;

-- Merges two property maps: a property seen with two different types becomes 'mixed'.
CREATE FUNCTION merge_property_types(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(k, CASE
                WHEN a -> k IS NULL THEN b -> k
                WHEN b -> k IS NULL OR a -> k = b -> k THEN a -> k
                ELSE '"mixed"'::jsonb END), '{}'::jsonb)
    FROM (SELECT jsonb_object_keys(coalesce(a, '{}'::jsonb)) AS k
          UNION SELECT jsonb_object_keys(coalesce(b, '{}'::jsonb))) keys
$$;

CREATE FUNCTION event_property_types(data jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(key, event_value_type(value)) FILTER (WHERE event_value_type(value) IS NOT NULL), '{}'::jsonb)
    FROM jsonb_each(data)
$$;

CREATE AGGREGATE property_types_agg(jsonb) (SFUNC = merge_property_types, STYPE = jsonb, INITCOND = '{}');

-- Segments: a name and a condition in the journeys' language.
CREATE TABLE segment (
    id          text PRIMARY KEY,
    project_id  text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name        text NOT NULL,
    condition   jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX segment_by_project ON segment (project_id);

-- Who is in each segment, kept up to date per event for segments that journeys enter on.
CREATE TABLE segment_member (
    segment_id  text NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
    user_id     text NOT NULL,
    since       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (segment_id, user_id)
);
