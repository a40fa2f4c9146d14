-- System texts: a system entry on a crisis timeline is stored as a message
-- key with its arguments (JSON, string values) and rendered in each
-- reader's language. Older rows keep their text and an empty key. The
-- same for a clock alert's text.
ALTER TABLE crisis_timeline ADD COLUMN msg_key TEXT NOT NULL DEFAULT '';
ALTER TABLE crisis_timeline ADD COLUMN msg_args TEXT NOT NULL DEFAULT '';
ALTER TABLE clock_alerts ADD COLUMN msg_key TEXT NOT NULL DEFAULT '';
ALTER TABLE clock_alerts ADD COLUMN msg_args TEXT NOT NULL DEFAULT '';
