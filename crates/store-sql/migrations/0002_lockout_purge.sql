-- userpool schema, version 2: failure counters found by key prefix and age across pools, so
-- counters of expired auth sessions can be purged without scanning every row.
CREATE INDEX up_lockouts_by_key ON up_lockouts (username_key, last_failure);
