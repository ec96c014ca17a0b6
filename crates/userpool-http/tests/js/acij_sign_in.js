// amazon-cognito-identity-js, unchanged, against a userpool server: sign-up, confirmation,
// USER_SRP_AUTH sign-in (the library's own SRP), session refresh and getUserAttributes.
// Env: ENDPOINT, POOL_ID, CLIENT_ID; the confirmation code is read from /_dev/messages.
// Prints one JSON line of results; exits non-zero on any failure.
const {
  CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoUserAttribute,
} = require("amazon-cognito-identity-js");

const { ENDPOINT, POOL_ID, CLIENT_ID } = process.env;
const pool = new CognitoUserPool({ UserPoolId: POOL_ID, ClientId: CLIENT_ID, endpoint: ENDPOINT });
const username = "jsuser";
const password = "Js-Passw0rd!";

const promisify = (fn) => new Promise((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));

async function main() {
  const out = {};
  const signUp = await promisify((cb) =>
    pool.signUp(username, password, [new CognitoUserAttribute({ Name: "email", Value: "js@example.com" })], null, cb));
  out.userConfirmed = signUp.userConfirmed;
  const messages = await (await fetch(`${ENDPOINT}/_dev/messages?pool_id=${POOL_ID}&username=${username}`)).json();
  const code = messages.messages[messages.messages.length - 1].code;
  const user = new CognitoUser({ Username: username, Pool: pool });
  out.confirm = await promisify((cb) => user.confirmRegistration(code, true, cb));

  const session = await new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    }));
  out.idTokenUsername = session.getIdToken().decodePayload()["cognito:username"];
  out.accessTokenScope = session.getAccessToken().decodePayload().scope;
  out.valid = session.isValid();

  const refreshed = await promisify((cb) => user.refreshSession(session.getRefreshToken(), cb));
  out.refreshedOrigin = refreshed.getAccessToken().decodePayload().origin_jti === session.getAccessToken().decodePayload().origin_jti;
  const attributes = await promisify((cb) => user.getUserAttributes(cb));
  out.email = attributes.find((a) => a.getName() === "email").getValue();

  const wrong = new CognitoUser({ Username: username, Pool: pool });
  out.wrongPassword = await new Promise((resolve) =>
    wrong.authenticateUser(new AuthenticationDetails({ Username: username, Password: "Wrong-passw0rd!" }), {
      onSuccess: () => resolve("signed in?!"),
      onFailure: (err) => resolve(`${err.code}: ${err.message}`),
    }));
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.error(JSON.stringify({ error: err.code || String(err), message: err.message }));
  process.exit(1);
});
