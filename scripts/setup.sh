#!/usr/bin/env bash
# Installs what the server and its tests need, only what is missing: OS packages with apt-get,
# npm packages with `npm ci`. Safe to run again; a no-op when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

# Tool on PATH -> Debian package(s) that provide it (several separated by spaces). The worker
# image (Dockerfile, target `worker`) installs the same packages, minus the test-only ones:
# test/unit/image-packages.test.ts compares the two lists.
declare -A PACKAGES=(
  [redis-server]=redis-server
  [ffmpeg]=ffmpeg
  [ffprobe]=ffmpeg
  [docker-compose]=docker-compose
  [chromium]=chromium
  [soffice]="libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui libreoffice-draw-nogui python3-uno"
  [mutool]=mupdf-tools
  [ddjvu]=djvulibre-bin
  [gs]=ghostscript
  # The v2 PDF tools: qpdf (pages, encryption), ocrmypdf with Tesseract's English data (pdf/ocr).
  [qpdf]=qpdf
  [ocrmypdf]="ocrmypdf tesseract-ocr-eng"
  # Test only: pdfinfo and pdftotext read the PDF tools' results back.
  [pdftotext]=poppler-utils
  # Inkscape's DXF importer (the cad engine) imports numpy: only recommended by the package.
  [inkscape]="inkscape python3-lxml python3-cssselect python3-numpy"
  [ebook-convert]=calibre
  [unzip]=unzip
  [bsdtar]=libarchive-tools
  [bzip2]=bzip2
  [xz]=xz-utils
  [zstd]=zstd
  [lz4]=lz4
  [lzip]=lzip
  [dpkg-deb]=dpkg
  [cpio]=cpio
  [gcab]=gcab
  [genisoimage]=genisoimage
  [rpmbuild]=rpm
  [zip]=zip
  [7zz]=7zip
  [bwrap]=bubblewrap
  [potrace]=potrace
  [exiftool]=libimage-exiftool-perl
  # The font engine's Python modules (FONT_PYTHON) have no command of their own: they come with
  # pyftsubset (fonttools: the tests subset their font samples with it).
  [pyftsubset]="fonttools python3-fonttools python3-munkres python3-brotli python3-fontforge python3-pil"
  [eotinfo]=eot-utils
  [pandoc]=pandoc
  [weasyprint]=weasyprint
  [asciidoc]=asciidoc-base
  [assimp]=assimp-utils
  [ezdxf]=python3-ezdxf
  [identify]="imagemagick libmagickcore-6.q16-6-extra"
  [cjxl]=libjxl-tools
  [dcraw_emu]=libraw-bin
  [heif-enc]=libheif-examples
  # Test-only: a real sshd for the SFTP tests (test/helpers/sftp-server.ts); the worker's SFTP client is pure JS.
  [sshd]=openssh-server
)

# Fonts, so documents and pages render here as they do in the image (CJK, emoji, Thai; Carlito and
# Caladea keep docx line breaks of Calibri and Cambria). No command to look for: dpkg knows them.
FONTS=(fontconfig fonts-dejavu-core fonts-liberation fonts-crosextra-carlito fonts-crosextra-caladea fonts-noto-cjk fonts-noto-color-emoji fonts-thai-tlwg)

# Every package is checked with dpkg, not by its command: a command can be there while a package
# it needs is not (python3-numpy beside inkscape, a font). The tool names above say what each is for.
missing=()
wanted=("${FONTS[@]}")
for tool in "${!PACKAGES[@]}"; do
  # shellcheck disable=SC2206 # split on purpose: one tool can need several packages
  wanted+=(${PACKAGES[$tool]})
done
# dpkg-query exits 1 when a package was never installed, which must not end the script (pipefail).
installed=" $({ dpkg-query -W -f='${Package}:${db:Status-Status} ' "${wanted[@]}" 2>/dev/null || true; } | tr ' ' '\n' | sed -n 's/:installed$//p' | tr '\n' ' ') "
for package in $(printf '%s\n' "${wanted[@]}" | sort -u); do
  [[ $installed == *" $package "* ]] || missing+=("$package")
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
