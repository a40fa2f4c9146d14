-- Repair text stored before crisisdesk refused characters that cannot be
-- published (vertical tabs, NUL and other control characters): the work is
-- Go code, cleanStoredText in store/cleantext.go, run in this migration's
-- transaction after this statement. It records each changed row in the
-- audit trail.
SELECT 1;
