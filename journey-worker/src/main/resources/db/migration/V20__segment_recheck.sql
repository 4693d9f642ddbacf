-- When a tracked user's membership of a segment could next change by the clock alone: an event
-- counted in a window back from now ("since": "P30D") ageing out of it. Written each time the
-- dispatcher or the reconciler asks the user's membership; the reconciler takes the rows that are
-- due (by `at`), so a pass costs the users whose windows end, not the whole population.
CREATE TABLE segment_recheck (
    segment_id  text NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
    user_id     text NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (segment_id, user_id)
);
CREATE INDEX segment_recheck_due ON segment_recheck (at);

-- Members from before this table: asked once more soon, which sets their times from then on.
INSERT INTO segment_recheck (segment_id, user_id, at) SELECT segment_id, user_id, now() FROM segment_member;
