"""moto's server (SNS, SES, KMS, … as one endpoint) on 127.0.0.1 at a free port.

Prints one JSON line {"port": N} once it accepts requests and runs until stdin closes, so it
never outlives the test that started it.
"""

import json
import socket
import sys

from moto.server import ThreadedMotoServer

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]

server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
print(json.dumps({"port": port}), flush=True)
sys.stdin.read()
server.stop()
