-- userpool schema, version 4: the OAuth scopes of a refresh-token family (space-separated;
-- NULL for API sign-ins), so tokens refreshed at /oauth2/token keep exactly what was granted.
ALTER TABLE up_families ADD COLUMN scopes {text};
