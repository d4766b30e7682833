#!/usr/bin/env bash
# Run the whole test suite: lint, then pytest with a real PostgreSQL
# server for the store tests. Pictures and screenshots the tests make go
# to test-output/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
export TRYON_TEST_OUTPUT=${TRYON_TEST_OUTPUT:-$PWD/test-output}
export PYOPENGL_PLATFORM=${PYOPENGL_PLATFORM:-egl}
mkdir -p "$TRYON_TEST_OUTPUT"

if url=$(bash scripts/start-postgres.sh); then
    export TRYON_TEST_POSTGRES_URL=$url
else
    echo "test: no PostgreSQL server; the PostgreSQL store tests will skip" >&2
fi

.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
