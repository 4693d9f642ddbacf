-- A number in a condition is only ever a number (a number in the data still compares with an
-- ISO time in the condition as Unix milliseconds), as in Conditions.order. That makes a number
-- in a condition a plain numeric comparison, which segments run as a jsonpath test.
CREATE OR REPLACE FUNCTION cond_order(a jsonb, b jsonb) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    tb timestamptz := cond_iso_time(b);
    ta timestamptz := CASE
        WHEN jsonb_typeof(a) = 'string' THEN cond_iso_time(a)
        WHEN jsonb_typeof(a) = 'number' AND tb IS NOT NULL THEN to_timestamp((a #>> '{}')::numeric / 1000)
        ELSE NULL END;
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

DROP FUNCTION cond_time(jsonb, jsonb);
