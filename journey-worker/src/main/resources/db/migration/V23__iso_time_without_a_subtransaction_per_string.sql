-- cond_iso_time caught a failed cast with an EXCEPTION block around its whole body, and PL/pgSQL
-- opens a subtransaction for every entry into such a block: every string property of every event
-- the catalog counted (and every string a segment condition compared as a time) paid one. The
-- pattern is now checked first, outside the block; only a string shaped like a time is cast under
-- the handler (a shape such as month 13 still fails the cast and answers NULL, as before).
CREATE OR REPLACE FUNCTION cond_iso_time(v jsonb) RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'string'
            OR (v #>> '{}') !~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$' THEN
        RETURN NULL;
    END IF;
    BEGIN
        RETURN (v #>> '{}')::timestamptz;
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END;
END $$;
