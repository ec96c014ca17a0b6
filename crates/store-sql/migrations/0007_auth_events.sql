-- userpool schema, version 7: threat protection's auth events, per user (newest first), going
-- with the user and the pool. The event is the facade's JSON.
CREATE TABLE up_auth_events (
    pool {text} NOT NULL,
    username_key {text} NOT NULL,
    event_id {text} NOT NULL,
    created BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (pool, username_key, event_id),
    FOREIGN KEY (pool, username_key) REFERENCES up_users (pool, username_key) ON DELETE CASCADE
);
CREATE INDEX up_auth_events_by_time ON up_auth_events (pool, username_key, created, event_id);
