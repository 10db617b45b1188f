#!/usr/bin/env bash
# `npm test`: installs what is missing, type-checks, checks the import direction, then runs
# every test tier against real Redis and real tools (each test file starts its own).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== type check"
npx tsc --noEmit -p .
npx tsc -p console  # the API console's browser modules (JS checked through JSDoc)
echo "== import direction (dependency-cruiser)"
npx depcruise --config .dependency-cruiser.cjs src workers bench
echo "== tests"
shopt -s globstar nullglob
files=(test/**/*.test.ts)
if [ ${#files[@]} -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
exec node --import tsx --test --test-concurrency=2 --test-timeout=300000 "${files[@]}"
