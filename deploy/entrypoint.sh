#!/bin/sh
# Starts one role of the image with the compiled code: `api` (HTTP API), `worker` (conversion
# worker), `all` (both in one process, with an embedded Redis when REDIS_URL is not set; needs the
# worker image) or `prepare-store` (creates the STORAGE_URL bucket when missing, then exits).
# Anything else runs as given.
set -e
role="${1:-api}"
# libuv's threads, read by Node only at its start: sharp's images and every file operation share
# them, and the light class runs 4 × cores images at once, so 4 more keep files moving (as
# scripts/start.sh does for `npm start`).
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-$((4 * $(nproc) + 4))}"
case "$role" in
  api) shift; exec node dist/src/server.js "$@" ;;
  worker) shift; exec node dist/workers/main.js "$@" ;;
  all) shift; exec node dist/workers/standalone.js "$@" ;;
  prepare-store) shift; exec node dist/src/prepare-store.js "$@" ;;
  *) exec "$@" ;;
esac
