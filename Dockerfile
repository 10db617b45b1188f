# syntax=docker/dockerfile:1
# Two images from this one file, chosen with --target:
#   api     the HTTP API: Node, the production node_modules and the compiled code; no conversion
#           tool (the API process runs none), so it is small and quick to roll out.
#   worker  the same plus every engine's tools and fonts; it also runs the `api` and `all` roles
#           (`all`: API and worker in one process, with its own Redis when REDIS_URL is not set).
# Without --target the last stage, `worker`, is built. The image runs compiled JavaScript
# (`npm run build` in the build stage): no TypeScript loader at run time.
#
# Node 26 is the Active LTS line (since 2026-10-28, supported until 2029-04-30; Node 20 ended on
# 2026-04-30). Debian bookworm, because scripts/setup.sh installs the same Debian 12 packages on the
# machines the tests run on, so the image converts with the tool versions the tests have checked.
ARG NODE_IMAGE=node:26-bookworm-slim

# The production dependencies only: what the running server loads.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

# TypeScript → dist/ (with the files the code reads beside itself: console/, bridge.py, *.mujs,
# pandoc's pdf-layout.py and unwrap-divs.lua).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/
COPY src ./src
COPY workers ./workers
COPY console ./console
RUN npm run build

# What both images share. tini reaps tool processes and forwards SIGTERM so the graceful
# shutdown runs. The code is owned by root and read-only for the server's user; only /data is its.
FROM ${NODE_IMAGE} AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# The source commit, for /version and openconvert_build_info: docker build --build-arg BUILD_COMMIT=$(git rev-parse HEAD)
ARG BUILD_COMMIT=""
ENV NODE_ENV=production \
    BUILD_COMMIT=${BUILD_COMMIT} \
    LANG=C.UTF-8 \
    HOST=0.0.0.0 \
    PORT=8080 \
    METRICS_PORT=9464 \
    DATA_DIR=/data
RUN groupadd --system --gid 10001 openconvert \
 && useradd --system --uid 10001 --gid openconvert --create-home --home-dir /home/openconvert --shell /usr/sbin/nologin openconvert \
 && mkdir -p /data \
 && chown openconvert:openconvert /data
WORKDIR /app
# test/helpers/dockerfile.ts replays these COPYs (test/integration/compiled-build.test.ts boots
# both roles from them), so a runtime file left out fails a test, not a container's start.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY deploy/entrypoint.sh deploy/healthcheck.mjs ./deploy/
USER openconvert
VOLUME ["/data"]
EXPOSE 8080 9464
# /healthz of the role: the API (and `all`) on PORT, a worker on METRICS_PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--", "sh", "deploy/entrypoint.sh"]

FROM base AS api
CMD ["api"]

# The engines' tools from Debian, one line per area in the install list below (what each line
# adds to the image: `node --import tsx scripts/image-footprint.ts`): ffmpeg (audio, video,
# subtitles); LibreOffice (office documents; Draw for odg); mutool, Ghostscript and djvulibre
# (PDF, XPS, DjVu); calibre (ebooks); Inkscape and potrace (vector graphics, tracing); fontTools,
# brotli, fontforge's Python module and Pillow (fonts and their specimens); python3-munkres
# answers the `scipy | munkres` dependency of fontTools (fonts, WeasyPrint), or apt takes SciPy
# and with it a C++ compiler, Boost and LLVM (600 MB); pandoc and WeasyPrint (markup documents, their PDF without
# TeX); lxml, cssselect and numpy (Inkscape's DXF importer: CAD); assimp (3D models); ImageMagick (with
# its extra coders for OpenEXR), libjxl's and LibRaw's tools (raster images beyond sharp);
# Chromium (website capture); bsdtar, the compressors and dpkg-deb (archives, packages).
# bubblewrap confines every tool to its job's folder where the container allows user
# namespaces; redis-server for the `all` role's own Redis.
# Fonts, so documents and pages render their text instead of boxes: DejaVu and Liberation
# (metric-compatible with Arial, Times New Roman, Courier New), Carlito and Caladea (with Calibri
# and Cambria, so docx files keep their line breaks), Noto CJK, Noto Color Emoji and TLWG Thai;
# fontconfig builds the font cache once here instead of in every tool run.
# The same list as scripts/setup.sh: test/unit/image-packages.test.ts compares the two.
FROM base AS worker
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ffmpeg \
      libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui libreoffice-draw-nogui python3-uno \
      mupdf-tools ghostscript djvulibre-bin qpdf ocrmypdf tesseract-ocr-eng \
      calibre \
      inkscape potrace \
      libimage-exiftool-perl \
      python3-fonttools python3-brotli python3-fontforge python3-pil \
      python3-munkres \
      pandoc weasyprint \
      python3-lxml python3-cssselect python3-numpy \
      assimp-utils \
      imagemagick libmagickcore-6.q16-6-extra libjxl-tools libraw-bin \
      chromium \
      libarchive-tools bzip2 xz-utils zstd lz4 lzip dpkg \
      bubblewrap \
      redis-server \
      fontconfig fonts-dejavu-core fonts-liberation fonts-crosextra-carlito fonts-crosextra-caladea \
      fonts-noto-cjk fonts-noto-color-emoji fonts-thai-tlwg \
 && rm -rf /var/lib/apt/lists/*
USER openconvert
CMD ["worker"]
