-- userpool schema, version 6: identity pools (cognito-identity) beside the user pools.
--
-- A login (provider name, the user's subject there) is linked to at most one identity per
-- identity pool: the primary key of up_identity_logins is that guarantee, so concurrent GetIds
-- for one new login make one identity. Identity ids are unique across pools (several
-- operations name the identity alone). Deleting a pool deletes its identities and their logins.
CREATE TABLE up_identity_pools (
    id {text} PRIMARY KEY,
    data {text} NOT NULL,
    roles {text} NOT NULL
);

CREATE TABLE up_identities (
    id {text} PRIMARY KEY,
    pool {text} NOT NULL REFERENCES up_identity_pools (id) ON DELETE CASCADE,
    created BIGINT NOT NULL,
    last_modified BIGINT NOT NULL,
    disabled BIGINT NOT NULL
);
CREATE INDEX up_identities_by_pool ON up_identities (pool, id);

CREATE TABLE up_identity_logins (
    pool {text} NOT NULL,
    provider {text} NOT NULL,
    subject {text} NOT NULL,
    identity {text} NOT NULL REFERENCES up_identities (id) ON DELETE CASCADE,
    PRIMARY KEY (pool, provider, subject)
);
CREATE INDEX up_identity_logins_by_identity ON up_identity_logins (identity, provider, subject);

-- The identity service's signing keys, sealed by the facade under the master key (one row).
CREATE TABLE up_identity_keys (
    id {text} PRIMARY KEY,
    sealed {bytes} NOT NULL
);
