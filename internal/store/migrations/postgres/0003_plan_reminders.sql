-- When the owner of an approved plan was last reminded of its review.
ALTER TABLE plans ADD COLUMN review_reminded_at TIMESTAMPTZ;
