-- A crisis's title, location and summary may have a version per language
-- (zh-Hant, zh-Hans, en), kept as a JSON object {"en": {"title": …}}.
-- Existing crises have none: their single text, the declared one, fills
-- every language (converted between the Chinese scripts).
ALTER TABLE crises ADD COLUMN texts TEXT NOT NULL DEFAULT '{}';
