-- userpool schema, version 9: external identity providers of user pools (OIDC, social) and
-- the links from a provider's user to a pool user.
--
-- A provider name and an IdP identifier are unique per pool (primary keys); a provider user
-- (pool, provider, subject) is linked to at most one pool user (the primary key of
-- up_provider_links). The provider's secrets are in `data` only sealed by the facade.
-- Deleting a pool deletes its providers; deleting a provider deletes its identifiers and links.
CREATE TABLE up_identity_providers (
    pool {text} NOT NULL REFERENCES up_pools (id) ON DELETE CASCADE,
    name {text} NOT NULL,
    data {text} NOT NULL,
    PRIMARY KEY (pool, name)
);

CREATE TABLE up_idp_identifiers (
    pool {text} NOT NULL,
    identifier {text} NOT NULL,
    provider {text} NOT NULL,
    PRIMARY KEY (pool, identifier),
    FOREIGN KEY (pool, provider) REFERENCES up_identity_providers (pool, name) ON DELETE CASCADE
);

CREATE TABLE up_provider_links (
    pool {text} NOT NULL,
    provider {text} NOT NULL,
    subject {text} NOT NULL,
    username {text} NOT NULL,
    data {text} NOT NULL,
    PRIMARY KEY (pool, provider, subject),
    FOREIGN KEY (pool, provider) REFERENCES up_identity_providers (pool, name) ON DELETE CASCADE
);
CREATE INDEX up_provider_links_by_user ON up_provider_links (pool, username);
