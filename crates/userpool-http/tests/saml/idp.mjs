// The SAML identity provider of the SAML federation tests: samlify's IdentityProvider on
// loopback, signing with the key and certificate the test made (IDP_KEY, IDP_CERT, PEM), for
// the service provider whose metadata the test fetched from userpool (SP_METADATA).
//
//   GET  /metadata              the IdP's metadata (for MetadataURL)
//   GET  /sso?SAMLRequest&…      HTTP-Redirect binding: a login form for the request
//   POST /login                 (pending, username) → an auto-posting form to the ACS
//   GET  /initiate?username&RelayState   IdP-initiated: the form without a request
//   GET  /slo?SAMLRequest&…      single logout: the SP's signed LogoutRequest, answered
//                               with a signed LogoutResponse (SLO_MODE=wrong-irt: answering
//                               another request); or the SP's LogoutResponse to ours
//   GET  /logout-initiate?username&RelayState   IdP-initiated logout of the user's last
//                               session: a signed LogoutRequest to the SP
//   GET  /slo-log               what /slo received and verified, as JSON
//   GET  /slo-mode?mode=ok|wrong-irt   how /slo answers from now on
//
// The first stdout line is {"base": "http://127.0.0.1:PORT"}.
import http from 'node:http';
import crypto from 'node:crypto';
import samlify from 'samlify';

samlify.setSchemaValidator({ validate: () => Promise.resolve('skipped') });

const port = Number(process.env.PORT);
const base = `http://127.0.0.1:${port}`;
const redirect = samlify.Constants.namespace.binding.redirect;

const idp = samlify.IdentityProvider({
  entityID: `${base}/metadata`,
  // WANT_SIGNED=1: the IdP's metadata asks for signed requests, and samlify checks them with
  // the certificate in the SP's metadata.
  wantAuthnRequestsSigned: process.env.WANT_SIGNED === '1',
  privateKey: process.env.IDP_KEY,
  signingCert: process.env.IDP_CERT,
  // ENCRYPT=1: assertions are encrypted to the encryption certificate of the SP's metadata
  // (RSA-OAEP key transport; AES-256-CBC, or ENCRYPT_DATA's algorithm).
  isAssertionEncrypted: process.env.ENCRYPT === '1',
  dataEncryptionAlgorithm: process.env.ENCRYPT_DATA || 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
  singleSignOnService: [{ Binding: redirect, Location: `${base}/sso` }],
  singleLogoutService: [{ Binding: redirect, Location: `${base}/slo` }],
  // The SP's logout messages must be signed with the certificate of its metadata.
  wantLogoutRequestSigned: true,
  wantLogoutResponseSigned: true,
});
// The IdP signs what it sends the SP by the redirect binding.
const sp = samlify.ServiceProvider({
  metadata: process.env.SP_METADATA,
  wantLogoutRequestSigned: true,
  wantLogoutResponseSigned: true,
});
const sloLog = [];
const sessions = new Map();
let sloMode = 'ok';

const pending = new Map();

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function attributes(user) {
  const value = (v) => `<saml:AttributeValue xsi:type="xs:string">${escape(v)}</saml:AttributeValue>`;
  const one = (name, values) => `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values.map(value).join('')}</saml:Attribute>`;
  return `<saml:AttributeStatement>${one('email', [user.email])}${one('name', [user.name])}${one('groups', ['staff', 'admins'])}</saml:AttributeStatement>`;
}

async function respond(res, requestId, relayState, username) {
  const user = { email: `${username}@example.com`, name: `User ${username}` };
  const now = new Date();
  const sessionIndex = `_${crypto.randomBytes(20).toString('hex')}`;
  sessions.set(user.email, sessionIndex);
  const later = new Date(now.getTime() + 5 * 60 * 1000);
  const acs = sp.entityMeta.getAssertionConsumerService('post');
  const { context } = await idp.createLoginResponse(
    sp,
    requestId ? { extract: { request: { id: requestId } } } : {},
    'post',
    user,
    {
      relayState,
      customTagReplacement: (template) => {
        const withAttributes = template
          .replace('{AttributeStatement}', attributes(user))
          .replace(' InResponseTo="{InResponseTo}"', requestId ? ' InResponseTo="{InResponseTo}"' : '')
          .replace(' InResponseTo="{InResponseTo}"/>', requestId ? ' InResponseTo="{InResponseTo}"/>' : '/>');
        const id = sessionIndex;
        const values = {
          ID: id,
          AssertionID: `_${crypto.randomBytes(20).toString('hex')}`,
          Destination: acs,
          Audience: sp.entityMeta.getEntityID(),
          SubjectRecipient: acs,
          Issuer: idp.entityMeta.getEntityID(),
          IssueInstant: now.toISOString(),
          ConditionsNotBefore: now.toISOString(),
          ConditionsNotOnOrAfter: later.toISOString(),
          SubjectConfirmationDataNotOnOrAfter: later.toISOString(),
          NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
          NameID: user.email,
          InResponseTo: requestId ?? '',
          StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
          AuthnStatement: `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
        };
        const authn = values.AuthnStatement;
        delete values.AuthnStatement;
        const filled = samlify.SamlLib.replaceTagsByValue(withAttributes.replace('{AuthnStatement}', authn), values);
        return { id, context: filled };
      },
    },
  );
  const relay = relayState ? `<input type="hidden" name="RelayState" value="${escape(relayState)}"/>` : '';
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<html><body onload="document.forms[0].submit()"><form method="post" action="${escape(acs)}"><input type="hidden" name="SAMLResponse" value="${escape(context)}"/>${relay}<noscript><button>Continue</button></noscript></form></body></html>`);
}

// What a signed redirect signs: the raw message, RelayState and SigAlg pairs.
function octets(url) {
  return url.search
    .slice(1)
    .split('&')
    .filter((pair) => /^(SAMLRequest|SAMLResponse|RelayState|SigAlg)=/.test(pair))
    .join('&');
}

async function slo(url, res) {
  const query = Object.fromEntries(url.searchParams);
  if (query.SAMLRequest) {
    const parsed = await idp.parseLogoutRequest(sp, 'redirect', { query, octetString: octets(url) });
    sloLog.push({ kind: 'LogoutRequest', nameID: parsed.extract.nameID, sessionIndex: parsed.extract.sessionIndex ?? null });
    const options = sloMode === 'wrong-irt'
      ? {
          relayState: query.RelayState,
          customTagReplacement: (template) => {
            const id = `_${crypto.randomBytes(20).toString('hex')}`;
            const context = samlify.SamlLib.replaceTagsByValue(template, {
              ID: id,
              Destination: sp.entityMeta.getSingleLogoutService(redirect),
              Issuer: idp.entityMeta.getEntityID(),
              EntityID: idp.entityMeta.getEntityID(),
              IssueInstant: new Date().toISOString(),
              StatusCode: samlify.Constants.namespace.statusCode.success,
              InResponseTo: '_another-request',
            });
            return { id, context };
          },
        }
      : query.RelayState;
    const { context } = idp.createLogoutResponse(sp, parsed, 'redirect', options);
    res.writeHead(302, { location: context });
    res.end();
  } else if (query.SAMLResponse) {
    const parsed = await idp.parseLogoutResponse(sp, 'redirect', { query, octetString: octets(url) });
    sloLog.push({ kind: 'LogoutResponse', inResponseTo: parsed.extract.response?.inResponseTo ?? null, relayState: query.RelayState ?? null });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ loggedOut: true }));
  } else {
    res.writeHead(400);
    res.end('no SAML message');
  }
}

async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

http
  .createServer(async (req, res) => {
    try {
      const url = new URL(req.url, base);
      if (req.method === 'GET' && url.pathname === '/metadata') {
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
        res.end(idp.getMetadata());
      } else if (req.method === 'GET' && url.pathname === '/sso') {
        const query = Object.fromEntries(url.searchParams);
        const { extract } = await idp.parseLoginRequest(sp, 'redirect', { query, octetString: octets(url) });
        const key = crypto.randomBytes(16).toString('hex');
        pending.set(key, { id: extract.request.id, relayState: query.RelayState });
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><body><form method="post" action="/login"><input type="hidden" name="pending" value="${key}"/><input name="username"/><button>Sign in</button></form></body></html>`);
      } else if (req.method === 'POST' && url.pathname === '/login') {
        const form = await body(req);
        const request = pending.get(form.get('pending'));
        if (!request) {
          res.writeHead(400);
          res.end('unknown request');
          return;
        }
        pending.delete(form.get('pending'));
        await respond(res, request.id, request.relayState, form.get('username'));
      } else if (req.method === 'GET' && url.pathname === '/slo') {
        await slo(url, res);
      } else if (req.method === 'GET' && url.pathname === '/slo-mode') {
        sloMode = url.searchParams.get('mode');
        res.writeHead(204);
        res.end();
      } else if (req.method === 'GET' && url.pathname === '/slo-log') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(sloLog));
      } else if (req.method === 'GET' && url.pathname === '/logout-initiate') {
        const email = `${url.searchParams.get('username')}@example.com`;
        const { context } = idp.createLogoutRequest(
          sp,
          'redirect',
          { logoutNameID: email, sessionIndex: sessions.get(email) },
          url.searchParams.get('RelayState') ?? '',
        );
        res.writeHead(302, { location: context });
        res.end();
      } else if (req.method === 'GET' && url.pathname === '/initiate') {
        await respond(res, null, url.searchParams.get('RelayState'), url.searchParams.get('username'));
      } else {
        res.writeHead(404);
        res.end();
      }
    } catch (e) {
      res.writeHead(500);
      res.end(String(e && e.stack));
    }
  })
  .listen(port, '127.0.0.1', () => {
    console.log(JSON.stringify({ base }));
  });
