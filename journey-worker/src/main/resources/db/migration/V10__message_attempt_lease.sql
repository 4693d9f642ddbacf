-- The attempt that may hand a message to its provider now, and until when (issue 11). A send
-- claims its row before calling the provider and only while no other attempt's lease is running,
-- so an attempt that outlives its activity timeout cannot be joined by the retry Temporal starts
-- meanwhile. The lease runs past the attempt's deadline by a margin; an attempt that ends without
-- a final status gives it back (attempt_holder names whose it is), a sent or failed row is never
-- claimed again.
ALTER TABLE message
    ADD COLUMN attempt_holder text,
    ADD COLUMN attempt_until  timestamptz;
