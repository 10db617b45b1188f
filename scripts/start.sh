#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs API + worker (+ embedded Redis without
# REDIS_URL) in one process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# libuv's threads, read by Node only at its start: sharp's images and every file operation share
# them, and the light class runs 4 × cores images at once (WORKER_LIGHT_CONCURRENCY), so 4 more
# keep files moving. The image's entrypoint (deploy/entrypoint.sh) sets the same.
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-$((4 * $(nproc) + 4))}"
exec node --import tsx workers/standalone.ts
