#!/usr/bin/env bash
# Downloads Debian packages (no install, no root needed once apt's lists exist) and extracts them.
# Usage: scripts/deb-extract.sh DEST-DIR PACKAGE...   (the .deb files are kept in DEST-DIR/debs)
set -euo pipefail
DEST="$1"; shift
mkdir -p "$DEST/debs"
for pkg in "$@"; do
  if ! ls "$DEST/debs/${pkg}"_*.deb >/dev/null 2>&1; then
    (cd "$DEST/debs" && (apt-get download "$pkg" 2>/dev/null || { apt-get update >/dev/null 2>&1 || sudo apt-get update >/dev/null; apt-get download "$pkg"; }))
  fi
  dpkg-deb -x "$DEST/debs/${pkg}"_*.deb "$DEST"
done
