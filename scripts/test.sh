#!/usr/bin/env bash
# `npm test`: installs what is missing, type-checks, checks the import direction, then runs
# every test tier against real Redis and real tools (each test file starts its own).
# `npm run test:unit` (`test.sh unit`): only the tests that need no Redis, worker or socket:
# test/unit and every *.memory.test.ts (the API over in-memory dependencies), in seconds.
# `npm run test:integration` (`test.sh integration`): every other test file, after the setup.
set -euo pipefail
cd "$(dirname "$0")/.."
tier="${1:-all}"
shopt -s globstar nullglob

unit=(test/unit/**/*.test.ts)
for file in test/**/*.memory.test.ts; do [[ $file == test/unit/* ]] || unit+=("$file"); done
case "$tier" in
  unit) files=("${unit[@]}") ;;
  integration | all)
    files=()
    for file in test/**/*.test.ts; do
      if [[ $tier == all || ! " ${unit[*]} " == *" $file "* ]]; then files+=("$file"); fi
    done
    ;;
  *) echo "usage: scripts/test.sh [unit|integration]" >&2; exit 2 ;;
esac
if [ ${#files[@]} -eq 0 ]; then echo "no test files found" >&2; exit 1; fi

if [ "$tier" != unit ]; then
  bash scripts/setup.sh
  echo "== type check"
  npx tsc --noEmit -p .
  npx tsc -p console  # the API console's browser modules (JS checked through JSDoc)
  echo "== import direction (dependency-cruiser)"
  npx depcruise --config .dependency-cruiser.cjs src workers bench
fi
# The format matrix (test/formats) converts hundreds of files: it runs after the others, alone,
# with an hour's limit instead of the 5 minutes a file that hangs gets.
matrix=()
rest=()
for file in "${files[@]}"; do
  if [[ $file == test/formats/* ]]; then matrix+=("$file"); else rest+=("$file"); fi
done
echo "== tests ($tier: ${#files[@]} files)"
node --import tsx --test --test-concurrency=2 --test-timeout=300000 "${rest[@]}"
if [ ${#matrix[@]} -gt 0 ]; then
  echo "== format matrix (${#matrix[@]} files)"
  node --import tsx --test --test-concurrency=1 --test-timeout=3600000 "${matrix[@]}"
fi
