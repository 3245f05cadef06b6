-- A console search in domain order reads the domains that start with the search from the
-- domain index, in order, and the organization names that start with it from the name
-- index; of those it needs only the ones whose domain does not match too, and it can tell
-- them from the index entry alone when the entry holds the domain (and the other way round
-- for the name order). Without these columns every name match was a table read.
DROP INDEX accounts_reseller_domain;
CREATE INDEX accounts_reseller_domain ON accounts (managed_by, domain, organization_key, id);
DROP INDEX accounts_reseller_name;
CREATE INDEX accounts_reseller_name ON accounts (managed_by, organization_key, id, domain);
