// Generates known-answer vectors with amazon-cognito-identity-js itself.
//
// Run by hand (not by cargo test), from this directory:
//   npm install --no-save amazon-cognito-identity-js@6.3.21
//   node gen_acij.js > ../acij.json
//
// The real CognitoUser.authenticateUser runs against a fake server (this file, plain BigInt
// math written from the spec, independent of our Rust code). Only the client's random `a` and
// its clock are pinned; every SRP_A, TIMESTAMP and PASSWORD_CLAIM_SIGNATURE in the output is
// what acij put on the wire. Device vectors come from acij's own generateHashDevice +
// ConfirmDevice and its DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER code.
'use strict';
const crypto = require('crypto');
const acij = require('amazon-cognito-identity-js');
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper').default;
const DateHelper = require('amazon-cognito-identity-js/lib/DateHelper').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;
const VERSION = require('amazon-cognito-identity-js/package.json').version;

const N = BigInt('0x' + [
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD',
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED',
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F',
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B',
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510',
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7',
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C',
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF'].join(''));
const G = 2n;

// ---- independent server math (spec §1) ----
const modpow = (b, e, m) => { let r = 1n; b %= m; while (e > 0n) { if (e & 1n) r = r * b % m; b = b * b % m; e >>= 1n; } return r; };
const padHex = (n) => { let h = n.toString(16); if (h.length % 2) h = '0' + h; if ('89abcdef'.includes(h[0])) h = '00' + h; return h; };
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest();
const hexHash = (hex) => sha256(Buffer.from(hex, 'hex')).toString('hex');
const K = BigInt('0x' + hexHash(padHex(N) + padHex(G)));
const computeX = (pool, user, password, saltHex) => BigInt('0x' + hexHash(saltHex + sha256(Buffer.from(pool + user + ':' + password, 'utf8')).toString('hex')));

// ---- deterministic inputs ----
let counter = 0;
const det = (label, n) => { const out = []; while (out.length < n) { out.push(...sha256(Buffer.from(`acij-vectors/${label}/${counter++}`))); } return Buffer.from(out.slice(0, n)); };
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const stamp = (d) => `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')} UTC ${d.getUTCFullYear()}`;

let pendingA = [];
AuthenticationHelper.prototype.generateRandomSmallA = function () { return new BigInteger(pendingA.shift(), 16); };
let nowString = null;
DateHelper.prototype.getNowString = function () { return nowString; };

const fakeJwt = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiZXhwIjo0MTAyNDQ0ODAwfQ.sig';
const tokens = { AccessToken: fakeJwt, IdToken: fakeJwt, RefreshToken: 'r', ExpiresIn: 3600, TokenType: 'Bearer' };

function signIn({ poolId, userId, password, saltHex, v, b, secretBlock, device }) {
  return new Promise((resolve, reject) => {
    const pool = new acij.CognitoUserPool({ UserPoolId: poolId, ClientId: 'abcdefghijklmnopqrstuvwxyz', Storage: device ? device.storage : new acij.CognitoUserPool({ UserPoolId: poolId, ClientId: 'x' }).storage });
    const user = new acij.CognitoUser({ Username: userId, Pool: pool, Storage: device ? device.storage : undefined });
    const seen = {};
    user.client = {
      request(op, params, cb) {
        try {
          if (op === 'InitiateAuth') {
            seen.srpA = params.AuthParameters.SRP_A;
            const B = (K * v + modpow(G, b, N)) % N;
            seen.srpB = B.toString(16);
            cb(null, { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { SALT: saltHex, SRP_B: seen.srpB, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: userId, USERNAME: userId } });
          } else if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'PASSWORD_VERIFIER') {
            seen.user = params.ChallengeResponses;
            if (device && device.dev) {
              cb(null, { ChallengeName: 'DEVICE_SRP_AUTH', ChallengeParameters: {}, Session: 'device-session-0123456789' });
            } else if (device) {
              cb(null, { AuthenticationResult: { ...tokens, NewDeviceMetadata: { DeviceKey: device.deviceKey, DeviceGroupKey: device.groupKey } }, ChallengeParameters: {} });
            } else {
              cb(null, { AuthenticationResult: tokens, ChallengeParameters: {} });
            }
          } else if (op === 'ConfirmDevice') {
            seen.confirm = params;
            cb(null, { UserConfirmationNecessary: false });
          } else if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_SRP_AUTH') {
            seen.deviceSrpA = params.ChallengeResponses.SRP_A;
            const dv = device.dev;
            const B = (K * dv.v + modpow(G, dv.b, N)) % N;
            seen.deviceSrpB = B.toString(16);
            cb(null, { ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: 'device-session-abcdefghij', ChallengeParameters: { SALT: dv.saltHex, SRP_B: seen.deviceSrpB, SECRET_BLOCK: dv.secretBlock, USERNAME: userId, DEVICE_KEY: device.deviceKey } });
          } else if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_PASSWORD_VERIFIER') {
            seen.device = params.ChallengeResponses;
            cb(null, { AuthenticationResult: tokens, ChallengeParameters: {} });
          } else {
            cb(new Error('unexpected ' + op));
          }
        } catch (e) { reject(e); }
      },
    };
    user.authenticateUser(new acij.AuthenticationDetails({ Username: userId, Password: password }), {
      onSuccess: () => resolve({ seen, user }),
      onFailure: reject,
    });
  });
}

const CASES = [
  // [pool id, USER_ID_FOR_SRP, password, salt bytes shape]
  ['us-east-1_AbCdEf123', 'alice', 'Passw0rd!', 'high'],
  ['us-east-1_AbCdEf123', 'bob', 'correct horse battery staple', 'low'],
  ['eu-west-1_Zz9Yy8Xx7', 'carol@example.com', 'Tr0ub4dor&3', 'leading-zero'],
  ['eu-west-1_Zz9Yy8Xx7', 'd7e1c0de-3b7a-4c58-9f4e-0a1b2c3d4e5f', 'P@ssw0rd', 'two-leading-zeros'],
  ['ap-southeast-2_Q1w2E3r4T', 'josé', 'contraseña-segura-1', 'high'],
  ['ap-southeast-2_Q1w2E3r4T', '日本語ユーザー', 'パスワード123!', 'low'],
  ['us-west-2_aaaaaaaaa', 'emoji🔐user', 'pässwörd-😀-Ω', 'leading-zero'],
  ['us-west-2_aaaaaaaaa', 'Mixed.Case_User-01', ' spaces inside and at ends ', 'high'],
  ['sa-east-1_123456789', 'x', 'a', 'low'],
  ['sa-east-1_123456789', 'ÅngströmÜser', 'ünïcödé-pässwörd-ÿ', 'high'],
  ['ca-central-1_AbC', 'user+tag@example.org', 'colon:in:password', 'leading-zero'],
  ['ca-central-1_AbC', 'Ελληνικά', 'κωδικός!Σ', 'two-leading-zeros'],
  ['me-south-1_LongPoolName9', 'user_with_underscores', 'p'.repeat(256), 'high'],
  ['me-south-1_LongPoolName9', '+15555550123', '1234567890', 'low'],
  ['us-east-1_AbCdEf123', 'null\u0000byte', 'tab\tand\nnewline', 'high'],
  ['us-east-1_AbCdEf123', 'zalgo z̷̢a̸l̴g̶o̷', 'ﬀ ligature ß', 'leading-zero'],
];
const DEVICE_CASES = [
  ['us-east-1_AbCdEf123', 'alice', 'Passw0rd!'],
  ['eu-west-1_Zz9Yy8Xx7', 'josé', 'contraseña-segura-1'],
  ['ap-southeast-2_Q1w2E3r4T', '日本語ユーザー', 'パスワード123!'],
  ['us-west-2_aaaaaaaaa', 'emoji🔐user', 'pässwörd-😀-Ω'],
];

function saltFor(shape, label) {
  const s = det('salt/' + label, 16);
  if (shape === 'high') s[0] |= 0x80;
  if (shape === 'low') { s[0] &= 0x7f; s[0] |= 0x10; }
  if (shape === 'leading-zero') { s[0] = 0; s[1] |= 0x80; }
  if (shape === 'two-leading-zeros') { s[0] = 0; s[1] = 0; s[2] &= 0x7f; s[2] |= 0x01; }
  return padHex(BigInt('0x' + s.toString('hex')));
}

// b such that SRP_B has an odd number of hex digits for some cases (B.toString(16) unpadded).
function pickB(label, v, wantOddB) {
  for (;;) {
    const b = BigInt('0x' + det('b/' + label, 32).toString('hex'));
    const B = (K * v + modpow(G, b, N)) % N;
    if (!wantOddB || B.toString(16).length % 2 === 1) return b;
  }
}

// a such that SRP_A (A.toString(16), unpadded) has an odd number of hex digits when wanted.
function pickA(label, wantOddA) {
  for (;;) {
    const a = det('a/' + label, 128).toString('hex');
    if (!wantOddA || modpow(G, BigInt('0x' + a), N).toString(16).length % 2 === 1) return a;
  }
}

function timestampFor(i) {
  // Spread over months, single- and double-digit days, midnight and 23:59:59.
  const base = Date.UTC(2026, 0, 1, 0, 0, 0);
  const d = new Date(base + i * 11 * 86400000 + i * 3607000 + (i % 3 === 0 ? 0 : 86399000));
  return d;
}

async function main() {
  const out = [];
  let i = 0;
  for (const [poolId, userId, password, shape] of CASES) {
    const label = `user-${i}`;
    const poolName = poolId.split('_')[1];
    const saltHex = saltFor(shape, label);
    const x = computeX(poolName, userId, password, saltHex);
    const v = modpow(G, x, N);
    const b = pickB(label, v, i % 4 === 1);
    const a = pickA(label, i % 4 === 3);
    const secretBlock = det('sb/' + label, 32 + (i * 37) % 400).toString('base64');
    nowString = stamp(timestampFor(i));
    pendingA = [a];
    const { seen } = await signIn({ poolId, userId, password, saltHex, v, b, secretBlock });
    const r = seen.user;
    if (r.TIMESTAMP !== nowString || r.PASSWORD_CLAIM_SECRET_BLOCK !== secretBlock || r.USERNAME !== userId) throw new Error('unexpected response ' + JSON.stringify(r));
    out.push({
      name: `acij-${label}`, client: `amazon-cognito-identity-js ${VERSION}`, kind: 'user',
      pool_id: poolId, pool: poolName, user_id: userId, password,
      salt: saltHex, verifier: v.toString(16), a, b: b.toString(16).padStart(64, '0'),
      srp_a: seen.srpA, srp_b: seen.srpB, secret_block: secretBlock,
      timestamp: r.TIMESTAMP, signature: r.PASSWORD_CLAIM_SIGNATURE,
      b_minus_kgx_negative: BigInt('0x' + seen.srpB) - K * v < 0n,
    });
    i++;
  }
  let j = 0;
  for (const [poolId, userId, password] of DEVICE_CASES) {
    const label = `device-${j}`;
    const poolName = poolId.split('_')[1];
    const saltHex = saltFor('high', label);
    const x = computeX(poolName, userId, password, saltHex);
    const v = modpow(G, x, N);
    const deviceKey = `${poolId.split('_')[0]}_${crypto.createHash('md5').update(label).digest('hex').replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5')}`;
    const groupKey = '-' + det('gk/' + label, 6).toString('base64').replace(/[+/=]/g, 'x');
    const device = { storage: new Map(), deviceKey, groupKey };
    device.storage = { _m: new Map(), setItem(k, v2) { this._m.set(k, v2); }, getItem(k) { return this._m.has(k) ? this._m.get(k) : null; }, removeItem(k) { this._m.delete(k); }, clear() { this._m.clear(); } };
    // 1) first sign-in: NewDeviceMetadata → acij generates the device secret and calls ConfirmDevice.
    nowString = stamp(timestampFor(100 + j));
    pendingA = [det('a/' + label, 128).toString('hex')];
    const first = await signIn({ poolId, userId, password, saltHex, v, b: pickB(label, v, false), secretBlock: det('sb/' + label, 48).toString('base64'), device });
    const cfg = first.seen.confirm.DeviceSecretVerifierConfig;
    const dv = BigInt('0x' + Buffer.from(cfg.PasswordVerifier, 'base64').toString('hex'));
    const deviceSaltHex = Buffer.from(cfg.Salt, 'base64').toString('hex');
    const devicePassword = first.user.randomPassword;
    // 2) second sign-in with the remembered device: PASSWORD_VERIFIER, then DEVICE_SRP_AUTH.
    const db = pickB(label + '/device', dv, j % 2 === 1);
    const deviceSecretBlock = det('dsb/' + label, 32 + j * 50).toString('base64');
    const da = pickA('d/' + label, j % 2 === 0);
    nowString = stamp(timestampFor(200 + j));
    pendingA = [det('a2/' + label, 128).toString('hex'), da];
    device.dev = { v: dv, b: db, saltHex: deviceSaltHex, secretBlock: deviceSecretBlock };
    const second = await signIn({ poolId, userId, password, saltHex, v, b: pickB(label + '/2', v, false), secretBlock: det('sb2/' + label, 48).toString('base64'), device });
    const r = second.seen.device;
    if (r.DEVICE_KEY !== deviceKey || r.PASSWORD_CLAIM_SECRET_BLOCK !== deviceSecretBlock) throw new Error('unexpected device response');
    out.push({
      name: `acij-${label}`, client: `amazon-cognito-identity-js ${VERSION}`, kind: 'device',
      pool_id: poolId, pool: groupKey, user_id: deviceKey, password: devicePassword,
      device_verifier_config: { PasswordVerifier: cfg.PasswordVerifier, Salt: cfg.Salt },
      salt: deviceSaltHex, verifier: dv.toString(16), a: da, b: db.toString(16).padStart(64, '0'),
      srp_a: second.seen.deviceSrpA, srp_b: second.seen.deviceSrpB, secret_block: deviceSecretBlock,
      timestamp: r.TIMESTAMP, signature: r.PASSWORD_CLAIM_SIGNATURE,
      b_minus_kgx_negative: BigInt('0x' + second.seen.deviceSrpB) - K * dv < 0n,
    });
    j++;
  }
  process.stdout.write(JSON.stringify({ generator: 'gen_acij.js', client: `amazon-cognito-identity-js ${VERSION}`, vectors: out }, null, 1) + '\n');
}
main().catch((e) => { console.error(e); process.exit(1); });
