#!/bin/sh
# Property-based API testing of `plancheck serve` against its own OpenAPI
# document: schemathesis generates requests from /v1/openapi.json and fails
# on any 5xx, any response that does not match the document, or a crash.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]   (installs schemathesis with pip)
set -eu
cd "$(dirname "$0")/.."
n=${1:-200}
command -v st >/dev/null || pip install --quiet schemathesis
cargo build --release --quiet
port=18766
./target/release/plancheck serve --addr 127.0.0.1:$port 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
sleep 0.5
st run http://127.0.0.1:$port/v1/openapi.json \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,fuzzing,stateful --max-examples "$n" --workers 2
