"""Decrypts the `request.code` of a CustomEmailSender / CustomSMSSender event sent by userpool
with a local code key (userpool_delivery::LocalKeyEncryptor, format version 1).

    pip install cryptography
    python decrypt_code.py CODE KEY_BASE64 USER_POOL_ID   # prints the code

In a Lambda handler: decrypt_code(event["request"]["code"], key, event["userPoolId"]).
"""

import base64
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def decrypt_code(code: str, key: bytes, user_pool_id: str) -> str:
    blob = base64.b64decode(code)
    if blob[0] != 1:
        raise ValueError("unknown code format")
    return AESGCM(key).decrypt(blob[1:13], blob[13:], user_pool_id.encode()).decode()


if __name__ == "__main__":
    code, key, pool = sys.argv[1:4]
    print(decrypt_code(code, base64.b64decode(key), pool))
