#!/usr/bin/env bash
# The API description as a contract, checked against the real server:
#   1. builds the `vigia` binary and starts it on a temporary config and database, with the
#      demo week replayed into it and the first-start admin's real API token;
#   2. validates /api/openapi.json with openapi-spec-validator;
#   3. runs Schemathesis over every operation with every check, bounded in time.
# Fails on any server error, schema, status-code or content-type mismatch. Business rules a
# JSON Schema cannot express are listed, with their reason, in tools/schemathesis.toml. The
# stateful phase is left out: it follows links Schemathesis infers from response field names
# (e.g. a mention's `customer_id`, often null) and so asks for `/api/customers/None/erase`.
#
# Python tools are installed (pinned) in a virtualenv under target/ (VIGIA_TOOLS_VENV to move
# it). Bounds: VIGIA_SCHEMATHESIS_EXAMPLES (cases per operation, default 40) and
# VIGIA_SCHEMATHESIS_MAX_TIME (seconds, default 240).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

SCHEMATHESIS_VERSION="4.32.5"
VALIDATOR_VERSION="0.9.0"
venv="${VIGIA_TOOLS_VENV:-$repo/target/tools-venv}"
if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/pip" show -q "schemathesis==$SCHEMATHESIS_VERSION" >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" "openapi-spec-validator==$VALIDATOR_VERSION"
fi

cargo build --locked --quiet --bin vigia
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$work/vigia.toml" <<EOF
[http]
listen = "127.0.0.1:$port"
public_url = "http://127.0.0.1:$port"

[dashboard]
stream_max_secs = 2

[storage]
backend = "sqlite"
path = "$work/vigia.db"

[paths]
keywords = "$repo/keywords"
alerts = "$repo/alerts"

[auth]
admin_token_file = "$work/admin-token"

[mail]
from = "Vigía <alertas@vigia.localhost>"
[mail.transport]
kind = "file"
dir = "$work/mail"

[[brands]]
name = "rapiplato"
display_name = "Rapiplato"
lang = "es"

[[recipients]]
email = "crisis@rapiplato.example"
brands = ["rapiplato"]

[customers]
import_on_start = ["$repo/examples/demo/customers.csv"]

[[feeds]]
kind = "replay"
name = "demo"
brand = "rapiplato"
schedule = "* * * * * *"
path = "$repo/examples/demo/mentions.jsonl"
speed = 1e12
start = "first"
EOF

RUST_LOG="${RUST_LOG:-warn}" target/debug/vigia --config "$work/vigia.toml" serve >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
    if curl -fsS "$base/healthz" >/dev/null 2>&1 && [ -s "$work/admin-token" ]; then break; fi
    sleep 0.2
done
token="$(cat "$work/admin-token")"
# Let the replay store the demo week, so lists, items and exports have real data.
for _ in $(seq 1 50); do
    total="$(curl -fsS -H "Authorization: Bearer $token" "$base/api/mentions?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
    [ "$total" -gt 1000 ] && break
    sleep 0.2
done

curl -fsS -H "Authorization: Bearer $token" "$base/api/openapi.json" >"$work/openapi.json"
"$venv/bin/openapi-spec-validator" "$work/openapi.json"

# /api/stream is an event stream: `[dashboard] stream_max_secs` (below) ends each one after a
# few seconds, as it ends every stream in production after an hour (browsers reconnect).
# Schemathesis runs through a small launcher that serializes `ast.parse` across its worker
# threads. Hypothesis parses source to describe lambdas, and CPython 3.11 before 3.11.8 keeps
# the AST constructor's recursion depth in per-interpreter state: two threads parsing at once
# fail with "SystemError: AST constructor recursion depth mismatch" (CPython gh-106905), which
# Schemathesis reports as a runtime error on whatever operation was running (CI, 2026-12-03).
status=0
"$venv/bin/python" -c '
import ast, sys, threading
_lock, _parse = threading.Lock(), ast.parse
def parse(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)
ast.parse = parse
from schemathesis.cli import schemathesis
sys.argv[0] = "schemathesis"
sys.exit(schemathesis())
' --config-file "$repo/tools/schemathesis.toml" run "$work/openapi.json" \
    --url "$base" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --max-examples "${VIGIA_SCHEMATHESIS_EXAMPLES:-40}" \
    --max-time "${VIGIA_SCHEMATHESIS_MAX_TIME:-240}" \
    --request-timeout 10 \
    --workers 2 \
    --seed 1 \
    --phases examples,coverage,fuzzing || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- server log (last 50 lines) ---"
    tail -n 50 "$work/server.log"
fi
exit "$status"
