#!/usr/bin/env bash
# Installs what the server and its tests need, only what is missing: OS packages with apt-get,
# npm packages with `npm ci`. Safe to run again; a no-op when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

# Tool on PATH -> Debian package(s) that provide it (several separated by spaces).
declare -A PACKAGES=(
  [redis-server]=redis-server
  [ffmpeg]=ffmpeg
  [ffprobe]=ffmpeg
  [docker-compose]=docker-compose
  [chromium]=chromium
  [soffice]="libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui python3-uno"
  [mutool]=mupdf-tools
  [gs]=ghostscript
  [inkscape]=inkscape
  [ebook-convert]=calibre
  [unzip]=unzip
  [bsdtar]=libarchive-tools
  [bzip2]=bzip2
  [xz]=xz-utils
  [zip]=zip
  [7zz]=7zip
  [bwrap]=bubblewrap
  [potrace]=potrace
)

missing=()
for tool in "${!PACKAGES[@]}"; do
  # shellcheck disable=SC2206 # split on purpose: one tool can need several packages
  command -v "$tool" >/dev/null 2>&1 || missing+=(${PACKAGES[$tool]})
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing OS packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
