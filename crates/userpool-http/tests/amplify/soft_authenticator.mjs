// A software passkey authenticator as the browser's WebAuthn API, for Amplify JS under Node:
// installs `window` (with `document` and `isSecureContext`), `navigator.credentials` and the
// `PublicKeyCredential` / `Authenticator*Response` classes Amplify's passkey code checks, so
// Amplify's own serde and flows run unchanged. ES256 keys from Node's WebCrypto, `none`
// attestation, user present and verified, the client data of a page at `origin`.
import { webcrypto as crypto } from 'node:crypto';

const enc = new TextEncoder();
const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const u16 = (n) => new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
const u32 = (n) => new Uint8Array([(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);

// Canonical CBOR for what an attestation object needs: integers, byte and text strings, maps.
function head(major, n) {
  if (n < 24) return new Uint8Array([(major << 5) | n]);
  if (n < 0x100) return new Uint8Array([(major << 5) | 24, n]);
  if (n < 0x10000) return concat(new Uint8Array([(major << 5) | 25]), u16(n));
  return concat(new Uint8Array([(major << 5) | 26]), u32(n));
}
function cbor(v) {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (v instanceof Uint8Array) return concat(head(2, v.length), v);
  if (typeof v === 'string') { const b = enc.encode(v); return concat(head(3, b.length), b); }
  if (v instanceof Map) {
    return concat(head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)]));
  }
  throw new Error(`cbor: ${typeof v}`);
}

// WebCrypto's ECDSA signature (r || s) as the DER a WebAuthn assertion carries.
function der(p1363) {
  const int = (b) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const t = b.slice(i);
    const body = t[0] & 0x80 ? concat(new Uint8Array([0]), t) : t;
    return concat(new Uint8Array([0x02, body.length]), body);
  };
  const seq = concat(int(p1363.slice(0, 32)), int(p1363.slice(32)));
  return concat(new Uint8Array([0x30, seq.length]), seq);
}

class AuthenticatorResponse {
  constructor(clientDataJSON) { this.clientDataJSON = clientDataJSON.buffer; }
}
class AuthenticatorAttestationResponse extends AuthenticatorResponse {
  constructor(clientDataJSON, attestationObject, authData, spki) {
    super(clientDataJSON);
    this.attestationObject = attestationObject.buffer;
    this.authData = authData;
    this.spki = spki;
  }
  getTransports() { return ['internal']; }
  getPublicKeyAlgorithm() { return -7; }
  getAuthenticatorData() { return this.authData.buffer; }
  getPublicKey() { return this.spki; }
}
class AuthenticatorAssertionResponse extends AuthenticatorResponse {
  constructor(clientDataJSON, authenticatorData, signature, userHandle) {
    super(clientDataJSON);
    this.authenticatorData = authenticatorData.buffer;
    this.signature = signature.buffer;
    this.userHandle = userHandle;
  }
}
class PublicKeyCredential {
  constructor(rawId, response) {
    this.type = 'public-key';
    this.rawId = rawId.buffer;
    this.id = b64url(rawId);
    this.response = response;
    this.authenticatorAttachment = 'platform';
  }
  getClientExtensionResults() { return {}; }
}

/** Installs the authenticator; returns what it holds (for the test's assertions). */
export function install(origin) {
  const held = [];
  const clientData = (type, challenge) => enc.encode(JSON.stringify({
    type, challenge: b64url(new Uint8Array(challenge)), origin, crossOrigin: false,
  }));
  const credentials = {
    async create({ publicKey: o }) {
      const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
      const spki = await crypto.subtle.exportKey('spki', keys.publicKey);
      const id = crypto.getRandomValues(new Uint8Array(16));
      const cose = cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, raw.slice(1, 33)], [-3, raw.slice(33, 65)]]));
      const authData = concat(
        await sha256(enc.encode(o.rp.id)), new Uint8Array([0x45]), u32(0),
        new Uint8Array(16), u16(id.length), id, cose,
      );
      const attestation = cbor(new Map([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
      held.push({ id, rpId: o.rp.id, key: keys.privateKey, userHandle: new Uint8Array(o.user.id), count: 0 });
      const response = new AuthenticatorAttestationResponse(
        clientData('webauthn.create', o.challenge), attestation, authData, spki);
      return new PublicKeyCredential(id, response);
    },
    async get({ publicKey: o }) {
      const allowed = (o.allowCredentials || []).map((c) => b64url(new Uint8Array(c.id)));
      const cred = held.find((c) => c.rpId === o.rpId && (allowed.length === 0 || allowed.includes(b64url(c.id))));
      if (!cred) throw new DOMException('No credential', 'NotAllowedError');
      cred.count += 1;
      const authData = concat(await sha256(enc.encode(o.rpId)), new Uint8Array([0x05]), u32(cred.count));
      const cd = clientData('webauthn.get', o.challenge);
      const signed = concat(authData, await sha256(cd));
      const p1363 = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, cred.key, signed));
      const response = new AuthenticatorAssertionResponse(cd, authData, der(p1363), cred.userHandle.buffer);
      return new PublicKeyCredential(cred.id, response);
    },
  };
  Object.assign(globalThis, {
    PublicKeyCredential, AuthenticatorResponse, AuthenticatorAttestationResponse, AuthenticatorAssertionResponse,
  });
  Object.defineProperty(globalThis, 'navigator', { value: { credentials, userAgent: 'node' }, configurable: true });
  // A page's `window` and `document`, as far as Amplify's listeners touch them.
  const noop = () => {};
  globalThis.window = globalThis;
  globalThis.document = {
    addEventListener: noop, removeEventListener: noop, visibilityState: 'visible',
    querySelector: () => null, querySelectorAll: () => [],
  };
  globalThis.addEventListener ??= noop;
  globalThis.removeEventListener ??= noop;
  globalThis.isSecureContext = true;
  return held;
}
