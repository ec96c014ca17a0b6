#!/usr/bin/env bash
# userpool-server (memory, SQLite) vs moto vs cognito-local: the load bench's external mode
# (LOAD_TARGET_URL) drives each on loopback with the same client — USER_PASSWORD_AUTH, 1 and
# 16 clients by default (LOAD_OPS / LOAD_CONCURRENCY / LOAD_SECONDS as in benches/load.rs).
#
#   benches/compare.sh             # from the repository root
#
# Installs moto and cognito-local the way their users do, under $CMP (default /tmp/userpool-cmp):
#   python3 -m venv $CMP/venv && $CMP/venv/bin/pip install 'moto[server]'
#   (cd $CMP/cl && npm init -y && npm install cognito-local)
# Each server is started, measured alone, and stopped (by its pid) before the next.
set -euo pipefail

CMP=${CMP:-/tmp/userpool-cmp}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
export LOAD_OPS=${LOAD_OPS:-password}
export LOAD_CONCURRENCY=${LOAD_CONCURRENCY:-1,16}
export LOAD_SECONDS=${LOAD_SECONDS:-10}
ADMIN=load-admin:load-admin-secret

mkdir -p "$CMP"
if [ ! -x "$CMP/venv/bin/moto_server" ]; then
  python3 -m venv "$CMP/venv"
  "$CMP/venv/bin/pip" install -q 'moto[server]'
fi
if [ ! -x "$CMP/cl/node_modules/.bin/cognito-local" ]; then
  mkdir -p "$CMP/cl"
  (cd "$CMP/cl" && npm init -y >/dev/null && npm install -s cognito-local)
fi

nice -n 10 cargo build --release -p userpool-server
# Build the bench once; run its binary directly below.
nice -n 10 cargo bench -p userpool-benches --bench load --no-run
BENCH=$(ls -t "$CARGO_TARGET_DIR"/release/deps/load-* | grep -v '\.d$' | head -1)
SERVER=$CARGO_TARGET_DIR/release/userpool-server

wait_for() { # port
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on $1" >&2
  return 1
}

measure() { # name port pid
  wait_for "$2"
  LOAD_TARGET_NAME=$1 LOAD_TARGET_URL=http://127.0.0.1:$2 LOAD_ADMIN=$ADMIN nice -n 10 "$BENCH" || true
  kill "$3"
  wait "$3" 2>/dev/null || true
}

rm -rf "$CMP/up-memory" "$CMP/up-sqlite" "$CMP/cl-data"
mkdir -p "$CMP/up-memory" "$CMP/up-sqlite" "$CMP/cl-data"

# Rate limits off: the per-source defaults would throttle a load test from one address.
USERPOOL_ADMIN_CREDENTIALS=$ADMIN "$SERVER" serve --bind 127.0.0.1:9301 --in-memory \
  --rate-limits off --data-dir "$CMP/up-memory" >/dev/null 2>&1 &
measure userpool-memory 9301 $!

USERPOOL_ADMIN_CREDENTIALS=$ADMIN "$SERVER" serve --bind 127.0.0.1:9302 \
  --rate-limits off --data-dir "$CMP/up-sqlite" >/dev/null 2>&1 &
measure userpool-sqlite 9302 $!

"$CMP/venv/bin/moto_server" -H 127.0.0.1 -p 9303 >/dev/null 2>&1 &
measure moto 9303 $!

(cd "$CMP/cl-data" && HOST=127.0.0.1 PORT=9304 exec "$CMP/cl/node_modules/.bin/cognito-local") >/dev/null 2>&1 &
measure cognito-local 9304 $!
