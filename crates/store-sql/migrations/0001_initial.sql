-- userpool schema, version 1.
--
-- Written once for both engines: `{text}` is `TEXT` on SQLite and `TEXT COLLATE "C"` on
-- PostgreSQL (byte order, so pages sort the same everywhere and prefix ranges use the index);
-- `{bytes}` is `BLOB` / `BYTEA`. Integers are BIGINT (flags 0/1): plain SQL that also runs on
-- PostgreSQL-compatible distributed engines.
--
-- Records the facade hands over as opaque blobs (pool, client, user, group…) are JSON text;
-- whatever must be unique, indexed or updated atomically is a column of its own.

CREATE TABLE up_pools (
    id {text} PRIMARY KEY,
    data {text} NOT NULL
);

CREATE TABLE up_clients (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    id {text} NOT NULL,
    data {text} NOT NULL,
    PRIMARY KEY (pool, id)
);
CREATE INDEX up_clients_by_id ON up_clients (id);

-- One row per user; the username key (folded) and the sub are unique per pool; `version` is
-- the optimistic-concurrency counter every update is conditional on.
CREATE TABLE up_users (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    username_key {text} NOT NULL,
    username {text} NOT NULL,
    sub {text} NOT NULL,
    version BIGINT NOT NULL,
    data {text} NOT NULL,
    PRIMARY KEY (pool, username_key),
    UNIQUE (pool, sub)
);

-- Sign-in aliases (folded): the primary key is the uniqueness guarantee.
CREATE TABLE up_aliases (
    pool {text} NOT NULL,
    attribute {text} NOT NULL,
    value_key {text} NOT NULL,
    username_key {text} NOT NULL,
    PRIMARY KEY (pool, attribute, value_key),
    FOREIGN KEY (pool, username_key) REFERENCES up_users (pool, username_key) ON DELETE CASCADE
);
CREATE INDEX up_aliases_by_user ON up_aliases (pool, username_key);

-- The ordered index ListUsers' `=` and `^=` filters are served from.
CREATE TABLE up_user_index (
    pool {text} NOT NULL,
    attribute {text} NOT NULL,
    value {text} NOT NULL,
    username_key {text} NOT NULL,
    PRIMARY KEY (pool, attribute, value, username_key),
    FOREIGN KEY (pool, username_key) REFERENCES up_users (pool, username_key) ON DELETE CASCADE
);
CREATE INDEX up_user_index_by_user ON up_user_index (pool, username_key);

CREATE TABLE up_groups (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    name {text} NOT NULL,
    data {text} NOT NULL,
    PRIMARY KEY (pool, name)
);

CREATE TABLE up_memberships (
    pool {text} NOT NULL,
    group_name {text} NOT NULL,
    username_key {text} NOT NULL,
    PRIMARY KEY (pool, group_name, username_key),
    FOREIGN KEY (pool, group_name) REFERENCES up_groups (pool, name) ON DELETE CASCADE,
    FOREIGN KEY (pool, username_key) REFERENCES up_users (pool, username_key) ON DELETE CASCADE
);
CREATE INDEX up_memberships_by_user ON up_memberships (pool, username_key, group_name);

-- One live code per (purpose, user), stored as the facade's keyed hash.
CREATE TABLE up_codes (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    purpose {text} NOT NULL,
    username_key {text} NOT NULL,
    code_hash {bytes} NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts_left BIGINT NOT NULL,
    PRIMARY KEY (pool, purpose, username_key)
);
CREATE INDEX up_codes_by_expiry ON up_codes (expires_at);
CREATE INDEX up_codes_by_user ON up_codes (pool, username_key);

-- Single-use markers for sealed sessions and SECRET_BLOCKs.
CREATE TABLE up_markers (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    marker {bytes} NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (pool, marker)
);
CREATE INDEX up_markers_by_expiry ON up_markers (expires_at);

-- Refresh-token families: token hashes only (SHA-256 of the opaque token).
CREATE TABLE up_families (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    id {text} NOT NULL,
    username_key {text} NOT NULL,
    client_id {text} NOT NULL,
    origin_jti {text} NOT NULL,
    device_key {text},
    auth_time BIGINT NOT NULL,
    token_hash {bytes} NOT NULL,
    prev_hash {bytes},
    prev_at BIGINT,
    created BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked BIGINT NOT NULL,
    PRIMARY KEY (pool, id),
    UNIQUE (pool, token_hash)
);
CREATE INDEX up_families_by_previous ON up_families (pool, prev_hash);
CREATE INDEX up_families_by_user ON up_families (pool, username_key);

-- Signing keys, sealed by the facade under the master key.
CREATE TABLE up_signing_keys (
    pool {text} PRIMARY KEY REFERENCES up_pools (id) ON DELETE CASCADE,
    sealed {bytes} NOT NULL
);

CREATE TABLE up_lockouts (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    username_key {text} NOT NULL,
    failures BIGINT NOT NULL,
    last_failure BIGINT NOT NULL,
    PRIMARY KEY (pool, username_key)
);

CREATE TABLE up_import_jobs (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    id {text} NOT NULL,
    data {text} NOT NULL,
    csv {bytes},
    PRIMARY KEY (pool, id)
);

CREATE TABLE up_resource_servers (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    identifier {text} NOT NULL,
    data {text} NOT NULL,
    PRIMARY KEY (pool, identifier)
);
