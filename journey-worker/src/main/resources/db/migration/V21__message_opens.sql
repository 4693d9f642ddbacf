-- When a message was first opened: an e-mail's open pixel loaded, or a push reported opened by the app.
ALTER TABLE message ADD COLUMN opened_at timestamptz;
