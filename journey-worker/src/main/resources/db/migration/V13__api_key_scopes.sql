-- Keys become manageable: each has a public id (never derived from the key), a name, a scope
-- (a publishable key may only track, register devices and use the in-app inbox; a secret key
-- does everything), the first characters of the key to recognise it by, when it was last used
-- (written at most once a minute per key) and when it was or will be revoked (a rotation may
-- leave the old key valid for a grace period: revoked_at in the future).
-- Keys issued before this version are secret keys; their prefix is learned at their next use.
ALTER TABLE api_key
    ADD COLUMN id           text,
    ADD COLUMN name         text NOT NULL DEFAULT 'default',
    ADD COLUMN scope        text NOT NULL DEFAULT 'secret' CHECK (scope IN ('publishable', 'secret')),
    ADD COLUMN prefix       text,
    ADD COLUMN last_used_at timestamptz,
    ADD COLUMN revoked_at   timestamptz;

UPDATE api_key SET id = 'key_' || replace(gen_random_uuid()::text, '-', '');
ALTER TABLE api_key ALTER COLUMN id SET NOT NULL;
CREATE UNIQUE INDEX api_key_id ON api_key (id);
