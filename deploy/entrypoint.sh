#!/bin/sh
# Starts one role of the image: `api` (HTTP API), `worker` (conversion worker) or `all` (both in
# one process, with an embedded Redis when REDIS_URL is not set). Anything else runs as given.
set -e
role="${1:-api}"
case "$role" in
  api) shift; exec node --import tsx src/server.ts "$@" ;;
  worker) shift; exec node --import tsx workers/main.ts "$@" ;;
  all) shift; exec node --import tsx workers/standalone.ts "$@" ;;
  *) exec "$@" ;;
esac
