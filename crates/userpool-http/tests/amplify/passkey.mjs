// Amplify JS v6, unchanged, with passkeys against userpool's endpoint: sign in with an email
// code, `associateWebAuthnCredential` (StartWebAuthnRegistration → navigator.credentials.create
// → CompleteWebAuthnRegistration), `listWebAuthnCredentials`, sign out, then `signIn` with
// USER_AUTH and `preferredChallenge: 'WEB_AUTHN'` (navigator.credentials.get, answered in the
// same call). The authenticator is `soft_authenticator.mjs`, installed as the browser's API
// for a page at ORIGIN. Prints one JSON line.
import { install } from './soft_authenticator.mjs';

const { ENDPOINT, POOL_ID, CLIENT_ID, USERNAME, ORIGIN } = process.env;
const held = install(ORIGIN);

const { Amplify } = await import('aws-amplify');
const {
  signIn, confirmSignIn, signOut, getCurrentUser, fetchAuthSession,
  associateWebAuthnCredential, listWebAuthnCredentials,
} = await import('aws-amplify/auth');

Amplify.configure({
  Auth: { Cognito: { userPoolId: POOL_ID, userPoolClientId: CLIENT_ID, userPoolEndpoint: ENDPOINT } },
});

await signIn({ username: USERNAME, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
const url = `${ENDPOINT}/_dev/messages?pool_id=${encodeURIComponent(POOL_ID)}&username=${encodeURIComponent(USERNAME)}`;
const messages = await (await fetch(url)).json();
const list = messages.messages ?? [];
await confirmSignIn({ challengeResponse: list[list.length - 1]?.code });

await associateWebAuthnCredential();
const listed = await listWebAuthnCredentials();
await signOut();

const passkey = await signIn({
  username: USERNAME,
  options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' },
});
const user = await getCurrentUser();
const session = await fetchAuthSession();
console.log(JSON.stringify({
  registered: listed.credentials.length,
  relyingPartyId: listed.credentials[0]?.relyingPartyId ?? null,
  held: held.length,
  uses: held[0]?.count ?? 0,
  signedIn: passkey.isSignedIn,
  step: passkey.nextStep.signInStep,
  username: user.username,
  tokenUse: session.tokens?.accessToken?.payload?.token_use ?? null,
}));
