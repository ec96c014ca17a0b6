// Amplify JS v6, unchanged, against userpool's endpoint: USER_AUTH with EMAIL_OTP as the
// preferred challenge, then confirmSignIn with the code read from the dev outbox.
// Prints one JSON line.
import { Amplify } from 'aws-amplify';
import { signIn, confirmSignIn, fetchAuthSession, getCurrentUser } from 'aws-amplify/auth';

const { ENDPOINT, POOL_ID, CLIENT_ID, USERNAME } = process.env;
Amplify.configure({
  Auth: { Cognito: { userPoolId: POOL_ID, userPoolClientId: CLIENT_ID, userPoolEndpoint: ENDPOINT } },
});

const first = await signIn({
  username: USERNAME,
  options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' },
});
const url = `${ENDPOINT}/_dev/messages?pool_id=${encodeURIComponent(POOL_ID)}&username=${encodeURIComponent(USERNAME)}`;
const messages = await (await fetch(url)).json();
const list = Array.isArray(messages) ? messages : (messages.messages ?? messages.Messages ?? []);
const last = list[list.length - 1] ?? {};
const code = last.code ?? last.Code ?? String(JSON.stringify(last).match(/\b\d{6}\b/)?.[0]);
const second = await confirmSignIn({ challengeResponse: code });
const session = await fetchAuthSession();
const user = await getCurrentUser();
console.log(JSON.stringify({
  firstStep: first.nextStep.signInStep,
  destination: first.nextStep.codeDeliveryDetails?.destination ?? null,
  signedIn: second.isSignedIn,
  secondStep: second.nextStep.signInStep,
  username: user.username,
  hasIdToken: Boolean(session.tokens?.idToken),
  tokenUse: session.tokens?.accessToken?.payload?.token_use ?? null,
}));
