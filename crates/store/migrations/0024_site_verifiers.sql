-- Which owners of a verified site proved it with their own token (webResource.insert),
-- as against owners one of them named (insert's owners[], update, patch). Every owner
-- recorded before this migration verified the site itself.
ALTER TABLE verified_sites ADD COLUMN verifiers TEXT NOT NULL DEFAULT '';
UPDATE verified_sites SET verifiers = owners;
