-- The condition language evaluated inside PostgreSQL, with the same rules as the Java evaluator
-- (dev.journey.worker.dsl.Conditions), so segments are counted where the data is.
-- A test runs every operator and value type through both and compares.

-- An ISO-8601 time with offset, by the same pattern as Conditions.ISO_TIME; null for anything else.
CREATE FUNCTION cond_iso_time(v jsonb) RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF jsonb_typeof(v) = 'string' AND (v #>> '{}') ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$' THEN
        RETURN (v #>> '{}')::timestamptz;
    END IF;
    RETURN NULL;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$;

-- A value as a time: an ISO string, or a number (Unix milliseconds) when the other side is an ISO string.
CREATE FUNCTION cond_time(v jsonb, other jsonb) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(v) = 'string' THEN cond_iso_time(v)
        WHEN jsonb_typeof(v) = 'number' AND cond_iso_time(other) IS NOT NULL THEN to_timestamp((v #>> '{}')::numeric / 1000)
        ELSE NULL END
$$;

-- The order of two values of a comparable kind (times, numbers, texts); null when they are not.
CREATE FUNCTION cond_order(a jsonb, b jsonb) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    ta timestamptz := cond_time(a, b);
    tb timestamptz := cond_time(b, a);
BEGIN
    IF a IS NULL OR b IS NULL THEN
        RETURN NULL;
    END IF;
    IF ta IS NOT NULL AND tb IS NOT NULL THEN
        RETURN CASE WHEN ta < tb THEN -1 WHEN ta > tb THEN 1 ELSE 0 END;
    END IF;
    IF jsonb_typeof(a) = 'number' AND jsonb_typeof(b) = 'number' THEN
        RETURN CASE WHEN a::numeric < b::numeric THEN -1 WHEN a::numeric > b::numeric THEN 1 ELSE 0 END;
    END IF;
    IF jsonb_typeof(a) = 'string' AND jsonb_typeof(b) = 'string' THEN
        RETURN CASE WHEN (a #>> '{}') COLLATE "C" < (b #>> '{}') COLLATE "C" THEN -1
                    WHEN (a #>> '{}') = (b #>> '{}') THEN 0 ELSE 1 END;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION cond_equal(a jsonb, b jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
        WHEN cond_order(a, b) IS NOT NULL THEN cond_order(a, b) = 0
        ELSE a = b END
$$;

-- One comparison: actual (from data or tags; SQL or JSON null when missing), an operator, the expected value.
CREATE FUNCTION cond_match(actual jsonb, op text, expected jsonb) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    a jsonb := CASE WHEN actual = 'null'::jsonb THEN NULL ELSE actual END;
    e jsonb := CASE WHEN expected = 'null'::jsonb THEN NULL ELSE expected END;
    o integer;
BEGIN
    IF op = 'exists' THEN RETURN a IS NOT NULL; END IF;
    IF op = 'notExists' THEN RETURN a IS NULL; END IF;
    IF op = 'neq' THEN RETURN NOT cond_equal(a, e); END IF;
    IF a IS NULL THEN RETURN false; END IF;
    IF op = 'eq' THEN RETURN cond_equal(a, e); END IF;
    IF op IN ('gt', 'gte', 'lt', 'lte') THEN
        o := cond_order(a, e);
        RETURN o IS NOT NULL AND CASE op WHEN 'gt' THEN o > 0 WHEN 'gte' THEN o >= 0 WHEN 'lt' THEN o < 0 ELSE o <= 0 END;
    END IF;
    IF op = 'contains' THEN
        IF jsonb_typeof(a) = 'array' THEN
            RETURN EXISTS (SELECT 1 FROM jsonb_array_elements(a) x WHERE cond_equal(x, e));
        END IF;
        RETURN e IS NOT NULL AND strpos(a #>> '{}', e #>> '{}') > 0;
    END IF;
    IF op = 'in' THEN
        RETURN jsonb_typeof(e) = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements(e) x WHERE cond_equal(a, x));
    END IF;
    IF op = 'startsWith' THEN
        RETURN e IS NOT NULL AND starts_with(a #>> '{}', e #>> '{}');
    END IF;
    RAISE EXCEPTION 'unknown operator %', op;
END $$;

-- The catalog's idea of a time, aligned with the pattern above.
CREATE OR REPLACE FUNCTION event_value_type(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(v)
        WHEN 'string' THEN CASE WHEN cond_iso_time(v) IS NOT NULL THEN 'time' ELSE 'string' END
        WHEN 'number' THEN 'number'
        WHEN 'boolean' THEN 'boolean'
        WHEN 'array' THEN CASE
            WHEN jsonb_array_length(v) = 0 THEN NULL
            WHEN jsonb_typeof(v -> 0) = 'number' THEN 'array<number>'
            ELSE 'array<string>' END
        ELSE NULL END
$$;
