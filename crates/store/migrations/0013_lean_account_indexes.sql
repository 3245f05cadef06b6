-- accounts_reseller_domain (managed_by, domain) answers every lookup by managing reseller
-- that accounts_managed_by did; keeping both cost every customer write one more index
-- entry (measured by the benchmark).
DROP INDEX accounts_managed_by;
