"""pycognito, unchanged, against a userpool server: USER_SRP_AUTH with its own SRP
(PASSWORD_VERIFIER answered without a Session), token verification against the JWKS it fetches
from <endpoint>/<pool>/.well-known/jwks.json, GetUser, refresh, a wrong password.
Env: ENDPOINT, POOL_ID, CLIENT_ID. Prints one JSON line; exits non-zero on failure."""
import json
import os
import sys

from pycognito import Cognito

kwargs = {
    "endpoint_url": os.environ["ENDPOINT"],
    "aws_access_key_id": "unused",
    "aws_secret_access_key": "unused",
}
pool, client = os.environ["POOL_ID"], os.environ["CLIENT_ID"]
out = {}
user = Cognito(pool, client, user_pool_region="us-east-1", username="pyuser", boto3_client_kwargs=kwargs)
user.authenticate(password="Py-Passw0rd!")
out["username_claim"] = user.id_claims["cognito:username"]
out["token_use"] = user.access_claims["token_use"]
me = user.get_user()
out["email"] = me.email
old_access = user.access_token
user.renew_access_token()
out["renewed"] = user.access_token != old_access
wrong = Cognito(pool, client, user_pool_region="us-east-1", username="pyuser", boto3_client_kwargs=kwargs)
try:
    wrong.authenticate(password="Wrong-passw0rd!")
    out["wrong_password"] = "signed in?!"
except Exception as err:  # botocore ClientError
    out["wrong_password"] = getattr(err, "response", {}).get("Error", {}).get("Code", str(err))
print(json.dumps(out))
sys.exit(0)
