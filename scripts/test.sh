#!/usr/bin/env bash
# The whole check: lint, types, then the test suite (what CI and the README run).
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check src tests benchmarks
mypy src
pytest -q -n 2 "$@"
