"""Generates known-answer vectors with pycognito itself.

Run by hand (not by cargo test), from this directory:

    python3 -m venv /tmp/pyc && /tmp/pyc/bin/pip install pycognito==2024.5.1
    /tmp/pyc/bin/python gen_pycognito.py > ../pycognito.json

pycognito's real AWSSRP.authenticate_user runs against a fake boto3 client (this file: plain
Python integer math written from the spec, independent of our Rust code). Only the client's
random `a`, os.urandom (for generate_hash_device) and its clock are pinned; every SRP_A,
TIMESTAMP and PASSWORD_CLAIM_SIGNATURE in the output is what pycognito put on the wire.
Device vectors use pycognito's generate_hash_device and its DEVICE_SRP_AUTH /
DEVICE_PASSWORD_VERIFIER code (which reuses the user step's `a`).
"""

import base64
import datetime as real_datetime
import hashlib
import json
import sys
from importlib.metadata import version

from pycognito import aws_srp
from pycognito.aws_srp import AWSSRP, generate_hash_device

N = int(aws_srp.N_HEX, 16)
G = 2


def pad_hex(n):
    h = format(n, "x")
    if len(h) % 2:
        h = "0" + h
    if h[0] in "89abcdef":
        h = "00" + h
    return h


def sha256(b):
    return hashlib.sha256(b).digest()


K = int.from_bytes(sha256(bytes.fromhex(pad_hex(N) + pad_hex(G))), "big")


def compute_x(pool, user, password, salt_hex):
    inner = sha256(f"{pool}{user}:{password}".encode("utf-8"))
    return int.from_bytes(sha256(bytes.fromhex(salt_hex) + inner), "big")


COUNTER = [0]


def det(label, n):
    out = b""
    while len(out) < n:
        out += sha256(f"pycognito-vectors/{label}/{COUNTER[0]}".encode())
        COUNTER[0] += 1
    return out[:n]


class FixedClock:
    """Stands in for the `datetime` module inside pycognito.aws_srp."""

    now = None

    class datetime:  # noqa: N801 - mimics datetime.datetime
        @staticmethod
        def utcnow():
            return FixedClock.now


aws_srp.datetime = FixedClock

URANDOM = []
aws_srp.os.urandom = lambda n: URANDOM.pop(0)[:n]


class FakeServer:
    """The boto3 cognito-idp client AWSSRP calls."""

    def __init__(self, user_id, salt_hex, v, b, secret_block, device=None):
        self.user_id, self.salt_hex, self.v, self.b = user_id, salt_hex, v, b
        self.secret_block, self.device, self.seen = secret_block, device, {}

    def initiate_auth(self, AuthFlow, AuthParameters, ClientId):
        assert AuthFlow == "USER_SRP_AUTH"
        self.seen["srp_a"] = AuthParameters["SRP_A"]
        B = (K * self.v + pow(G, self.b, N)) % N
        self.seen["srp_b"] = format(B, "x")
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": self.salt_hex,
                "SRP_B": self.seen["srp_b"],
                "SECRET_BLOCK": self.secret_block,
                "USER_ID_FOR_SRP": self.user_id,
                "USERNAME": self.user_id,
            },
        }

    def respond_to_auth_challenge(self, ClientId, ChallengeName, ChallengeResponses, **_):
        if ChallengeName == "PASSWORD_VERIFIER":
            self.seen["user"] = ChallengeResponses
            if self.device:
                return {"ChallengeName": "DEVICE_SRP_AUTH", "ChallengeParameters": {}}
            return {"AuthenticationResult": {"AccessToken": "x"}}
        if ChallengeName == "DEVICE_SRP_AUTH":
            self.seen["device_srp_a"] = ChallengeResponses["SRP_A"]
            d = self.device
            B = (K * d["v"] + pow(G, d["b"], N)) % N
            self.seen["device_srp_b"] = format(B, "x")
            return {
                "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
                "ChallengeParameters": {
                    "USERNAME": self.user_id,
                    "SALT": d["salt_hex"],
                    "SRP_B": self.seen["device_srp_b"],
                    "SECRET_BLOCK": d["secret_block"],
                },
            }
        if ChallengeName == "DEVICE_PASSWORD_VERIFIER":
            self.seen["device"] = ChallengeResponses
            return {"AuthenticationResult": {"AccessToken": "x"}}
        raise AssertionError(ChallengeName)


CASES = [
    ("us-east-1_AbCdEf123", "alice", "Passw0rd!", "high"),
    ("us-east-1_AbCdEf123", "bob", "correct horse battery staple", "low"),
    ("eu-west-1_Zz9Yy8Xx7", "carol@example.com", "Tr0ub4dor&3", "leading-zero"),
    ("eu-west-1_Zz9Yy8Xx7", "d7e1c0de-3b7a-4c58-9f4e-0a1b2c3d4e5f", "P@ssw0rd", "two-leading-zeros"),
    ("ap-southeast-2_Q1w2E3r4T", "josé", "contraseña-segura-1", "high"),
    ("ap-southeast-2_Q1w2E3r4T", "日本語ユーザー", "パスワード123!", "low"),
    ("us-west-2_aaaaaaaaa", "emoji🔐user", "pässwörd-😀-Ω", "leading-zero"),
    ("us-west-2_aaaaaaaaa", "Mixed.Case_User-01", " spaces inside and at ends ", "high"),
    ("sa-east-1_123456789", "x", "a", "low"),
    ("sa-east-1_123456789", "ÅngströmÜser", "ünïcödé-pässwörd-ÿ", "high"),
    ("ca-central-1_AbC", "user+tag@example.org", "colon:in:password", "leading-zero"),
    ("ca-central-1_AbC", "Ελληνικά", "κωδικός!Σ", "two-leading-zeros"),
    ("me-south-1_LongPoolName9", "user_with_underscores", "p" * 256, "high"),
    ("me-south-1_LongPoolName9", "+15555550123", "1234567890", "low"),
    ("us-east-1_AbCdEf123", "null\u0000byte", "tab\tand\nnewline", "high"),
    ("us-east-1_AbCdEf123", "zalgo z̷̢a̸l̴g̶o̷", "ﬀ ligature ß", "leading-zero"),
]
DEVICE_CASES = [
    ("us-east-1_AbCdEf123", "alice", "Passw0rd!"),
    ("eu-west-1_Zz9Yy8Xx7", "josé", "contraseña-segura-1"),
    ("ap-southeast-2_Q1w2E3r4T", "日本語ユーザー", "パスワード123!"),
    ("us-west-2_aaaaaaaaa", "emoji🔐user", "pässwörd-😀-Ω"),
]


def salt_for(shape, label):
    s = bytearray(det("salt/" + label, 16))
    if shape == "high":
        s[0] |= 0x80
    if shape == "low":
        s[0] = (s[0] & 0x7F) | 0x10
    if shape == "leading-zero":
        s[0] = 0
        s[1] |= 0x80
    if shape == "two-leading-zeros":
        s[0] = s[1] = 0
        s[2] = (s[2] & 0x7F) | 0x01
    return pad_hex(int.from_bytes(s, "big"))


def pick_b(label, v, want_odd):
    while True:
        b = int.from_bytes(det("b/" + label, 32), "big")
        B = (K * v + pow(G, b, N)) % N
        if not want_odd or len(format(B, "x")) % 2 == 1:
            return b


def timestamp_for(i):
    base = real_datetime.datetime(2026, 3, 1, 0, 0, 0)
    return base + real_datetime.timedelta(days=i * 13, seconds=i * 3701 + (0 if i % 3 == 0 else 86399))


def main():
    out = []
    client = f"pycognito {version('pycognito')}"
    for i, (pool_id, user_id, password, shape) in enumerate(CASES):
        label = f"user-{i}"
        pool = pool_id.split("_")[1]
        salt_hex = salt_for(shape, label)
        v = pow(G, compute_x(pool, user_id, password, salt_hex), N)
        b = pick_b(label, v, i % 4 == 2)
        a = int.from_bytes(det("a/" + label, 128), "big") % N
        secret_block = base64.standard_b64encode(det("sb/" + label, 32 + (i * 41) % 400)).decode()
        FixedClock.now = timestamp_for(i)
        server = FakeServer(user_id, salt_hex, v, b, secret_block)
        srp = AWSSRP.__new__(AWSSRP)
        AWSSRP.generate_random_small_a = lambda self, a=a: a
        AWSSRP.__init__(srp, username=user_id, password=password, pool_id=pool_id, client_id="c", client=server)
        srp.authenticate_user()
        r = server.seen["user"]
        assert r["PASSWORD_CLAIM_SECRET_BLOCK"] == secret_block and r["USERNAME"] == user_id
        out.append(dict(
            name=f"pycognito-{label}", client=client, kind="user", pool_id=pool_id, pool=pool,
            user_id=user_id, password=password, salt=salt_hex, verifier=format(v, "x"),
            a=format(a, "x"), b=format(b, "064x"), srp_a=server.seen["srp_a"], srp_b=server.seen["srp_b"],
            secret_block=secret_block, timestamp=r["TIMESTAMP"], signature=r["PASSWORD_CLAIM_SIGNATURE"],
            b_minus_kgx_negative=int(server.seen["srp_b"], 16) - K * v < 0,
        ))
    for j, (pool_id, user_id, password) in enumerate(DEVICE_CASES):
        label = f"device-{j}"
        pool = pool_id.split("_")[1]
        salt_hex = salt_for("low", label)
        v = pow(G, compute_x(pool, user_id, password, salt_hex), N)
        device_key = pool_id.split("_")[0] + "_" + hashlib.md5(label.encode()).hexdigest()
        device_key = f"{device_key[:-24]}-{device_key[-24:-20]}-{device_key[-20:-16]}-{device_key[-16:-12]}-{device_key[-12:]}"
        group_key = "-" + base64.standard_b64encode(det("gk/" + label, 6)).decode().replace("+", "x").replace("/", "x")
        # pycognito's own device secret: os.urandom(40) for the password, then get_random(16) for the salt.
        URANDOM[:] = [det("dpw/" + label, 40), det("dsalt/" + label, 16)]
        device_password, cfg = generate_hash_device(group_key, device_key)
        dv = int.from_bytes(base64.standard_b64decode(cfg["PasswordVerifier"]), "big")
        device_salt_hex = base64.standard_b64decode(cfg["Salt"]).hex()
        a = int.from_bytes(det("a/" + label, 128), "big") % N
        db = pick_b(label + "/device", dv, j % 2 == 0)
        device_secret_block = base64.standard_b64encode(det("dsb/" + label, 40 + j * 60)).decode()
        FixedClock.now = timestamp_for(50 + j)
        server = FakeServer(user_id, salt_hex, v, pick_b(label, v, False),
                            base64.standard_b64encode(det("sb/" + label, 48)).decode(),
                            device=dict(v=dv, b=db, salt_hex=device_salt_hex, secret_block=device_secret_block))
        srp = AWSSRP.__new__(AWSSRP)
        AWSSRP.generate_random_small_a = lambda self, a=a: a
        AWSSRP.__init__(srp, username=user_id, password=password, pool_id=pool_id, client_id="c", client=server,
                        device_key=device_key, device_group_key=group_key, device_password=device_password)
        srp.authenticate_user()
        r = server.seen["device"]
        assert r["DEVICE_KEY"] == device_key and r["PASSWORD_CLAIM_SECRET_BLOCK"] == device_secret_block
        out.append(dict(
            name=f"pycognito-{label}", client=client, kind="device", pool_id=pool_id, pool=group_key,
            user_id=device_key, password=device_password, device_verifier_config=cfg,
            salt=device_salt_hex, verifier=format(dv, "x"), a=format(a, "x"), b=format(db, "064x"),
            srp_a=server.seen["device_srp_a"], srp_b=server.seen["device_srp_b"],
            secret_block=device_secret_block, timestamp=r["TIMESTAMP"], signature=r["PASSWORD_CLAIM_SIGNATURE"],
            b_minus_kgx_negative=int(server.seen["device_srp_b"], 16) - K * dv < 0,
        ))
    json.dump(dict(generator="gen_pycognito.py", client=client, vectors=out), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
