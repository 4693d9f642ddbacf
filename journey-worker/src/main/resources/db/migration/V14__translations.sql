-- Translations of stored templates: per-locale variants of all the fields, and the locale the
-- fields themselves are in. The message log keeps which locale a message was rendered in and,
-- when none of the template's locales served the user's, that locale (counted, never silent).
ALTER TABLE message_template ADD COLUMN translations jsonb, ADD COLUMN default_locale text;
ALTER TABLE message_template_version ADD COLUMN translations jsonb, ADD COLUMN default_locale text;
ALTER TABLE message ADD COLUMN locale text, ADD COLUMN missing_translation text;
