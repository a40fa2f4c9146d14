-- An observation may carry one photo, taken on the observer's phone. The
-- bytes sit beside the observation; lists read only its name, type and size.
ALTER TABLE drill_observations ADD COLUMN photo_name TEXT NOT NULL DEFAULT '';
ALTER TABLE drill_observations ADD COLUMN photo_type TEXT NOT NULL DEFAULT '';
ALTER TABLE drill_observations ADD COLUMN photo_size BIGINT NOT NULL DEFAULT 0;
ALTER TABLE drill_observations ADD COLUMN photo BYTEA;
