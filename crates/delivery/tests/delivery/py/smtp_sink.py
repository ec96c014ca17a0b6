"""An SMTP server on loopback (aiosmtpd) that saves every message it accepts.

Usage: smtp_sink.py MODE OUTDIR, MODE one of plain | starttls | tls. AUTH (PLAIN/LOGIN) with
SINK_USER / SINK_PASSWORD is required in every mode. For starttls and tls a self-signed
certificate for "localhost" is made with `cryptography` and written to OUTDIR/cert.pem.
Prints one JSON line {"port": N} when ready and runs until stdin closes. Each message is
written, exactly as received, to OUTDIR/NNNN.eml before the server answers 250.
"""

import datetime
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

MODE, OUT = sys.argv[1], sys.argv[2]
USER = os.environ["SINK_USER"].encode()
PASSWORD = os.environ["SINK_PASSWORD"].encode()


class Save:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(OUT, f"{self.count:04}.eml")
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER
        and auth_data.password == PASSWORD
    )
    # handled=False: aiosmtpd answers 535 itself (its default, handled=True, answers nothing).
    return AuthResult(success=ok, handled=False)


def self_signed(out):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = os.path.join(out, "cert.pem"), os.path.join(out, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


options = dict(
    authenticator=authenticate,
    auth_required=True,
    # aiosmtpd only knows of STARTTLS: with implicit TLS it would hide AUTH altogether.
    auth_require_tls=MODE == "starttls",
)
if MODE == "starttls":
    options.update(tls_context=self_signed(OUT), require_starttls=True)
elif MODE == "tls":
    options.update(ssl_context=self_signed(OUT))

port = free_port()
controller = Controller(Save(), hostname="127.0.0.1", port=port, **options)
controller.start()
print(json.dumps({"port": port}), flush=True)
sys.stdin.read()
controller.stop()
