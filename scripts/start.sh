#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs API + worker (+ embedded Redis without
# REDIS_URL) in one process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node --import tsx workers/standalone.ts
