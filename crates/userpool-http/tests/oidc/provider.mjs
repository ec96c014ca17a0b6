// The upstream OpenID Provider of userpool's federation tests: panva's oidc-provider (a
// certified OP), unchanged, on loopback. Its development interactions sign in any login name
// (which becomes `sub`) and ask for consent. Prints one JSON line when listening.
//
// Environment: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const { PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } = process.env;
const issuer = `http://127.0.0.1:${PORT}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  cookies: { keys: ['userpool-federation-test-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Scope claims in the ID token too (not only at userinfo), as Google's and most OPs' are.
  conformIdTokenClaims: false,
  findAccount: async (ctx, id) => ({
    accountId: id,
    async claims() {
      return { sub: id, email: `${id}@idp.example`, email_verified: true, name: `Federated ${id}` };
    },
  }),
});
provider.proxy = false;

provider.listen(Number(PORT), '127.0.0.1', () => {
  console.log(JSON.stringify({ issuer }));
});
