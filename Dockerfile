# syntax=docker/dockerfile:1
# One image for every role: `api`, `worker` or `all` (API + worker in one process), chosen by the
# command (see deploy/entrypoint.sh). Built in two stages so the runtime image carries neither
# npm's cache nor the dev dependencies.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
# The engines' tools from Debian: ffmpeg (audio/video), LibreOffice (documents), mutool and
# Ghostscript (PDF), calibre (ebooks; about 350 MB with its Qt WebEngine), Inkscape (vector
# graphics), Chromium (website capture), bsdtar, bzip2 and xz (archives), plus fonts so documents render; tini reaps tool processes and forwards SIGTERM so
# the graceful shutdown runs; bubblewrap confines every tool to its job's folder where the container
# allows user namespaces (else the worker says so at start and keeps the resource limits);
# redis-server lets the `all` role run its own Redis when REDIS_URL is not set.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ffmpeg \
      libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui python3-uno \
      mupdf-tools ghostscript \
      calibre \
      inkscape potrace \
      chromium \
      libarchive-tools bzip2 xz-utils \
      fonts-dejavu-core fonts-liberation \
      tini ca-certificates bubblewrap \
      redis-server \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    METRICS_PORT=9464 \
    DATA_DIR=/data \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
RUN groupadd --system --gid 10001 openconvert \
 && useradd --system --uid 10001 --gid openconvert --home-dir /app --shell /usr/sbin/nologin openconvert \
 && mkdir -p /data \
 && chown openconvert:openconvert /data
WORKDIR /app
COPY --from=deps --chown=openconvert:openconvert /app/node_modules ./node_modules
COPY --chown=openconvert:openconvert package.json tsconfig.json ./
COPY --chown=openconvert:openconvert src ./src
# workers/ carries the engines' helper scripts beside their code (LibreOffice's bridge.py, mutool's
# *.mujs); console/ is read while the API is built. test/unit/deploy-files.test.ts lays out these
# COPYs and builds the app from them, so a missing runtime folder fails there, not at boot.
COPY --chown=openconvert:openconvert workers ./workers
COPY --chown=openconvert:openconvert console ./console
COPY --chown=openconvert:openconvert deploy/entrypoint.sh deploy/healthcheck.mjs ./deploy/
USER openconvert
VOLUME ["/data"]
EXPOSE 8080 9464
# /healthz of the role: the API (and `all`) on PORT, a worker on METRICS_PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--", "sh", "deploy/entrypoint.sh"]
CMD ["api"]
