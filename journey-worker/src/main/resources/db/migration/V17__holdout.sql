-- Whether the subject was in the project's hold-out group when it entered (its marketing messages
-- were not sent): journey stats report conversions of the hold-out beside the rest.
ALTER TABLE journey_instance ADD COLUMN holdout boolean NOT NULL DEFAULT false;
