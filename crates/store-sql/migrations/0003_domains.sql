-- userpool schema, version 3: user pool domains (prefix or custom), unique across pools and
-- gone with their pool.
CREATE TABLE up_domains (
    domain {text} PRIMARY KEY,
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    data {text} NOT NULL
);
CREATE INDEX up_domains_by_pool ON up_domains (pool, domain);
