-- Whether a customer is an educational institution (schools, higher education): the
-- Partner Sales Console's "Educational institution" checkbox. Console-only: the Reseller
-- API's Customer has no such field, so its wire format does not change.
ALTER TABLE accounts ADD COLUMN education BOOLEAN NOT NULL DEFAULT FALSE;
