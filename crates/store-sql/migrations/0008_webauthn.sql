-- userpool schema, version 8: WebAuthn credentials (passkeys), unique per pool by credential
-- id (hex), owned by one user and gone with that user (or their pool). The signature counter
-- and backup state live beside the JSON record so that sign-ins move them conditionally.
CREATE TABLE up_webauthn (
    pool {text} NOT NULL,
    credential_id {text} NOT NULL,
    username_key {text} NOT NULL,
    created BIGINT NOT NULL,
    sign_count BIGINT NOT NULL,
    backed_up BIGINT NOT NULL,
    data {text} NOT NULL,
    PRIMARY KEY (pool, credential_id),
    FOREIGN KEY (pool, username_key) REFERENCES up_users (pool, username_key)
        ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX up_webauthn_by_user ON up_webauthn (pool, username_key, created, credential_id);
