#!/usr/bin/env bash
# Fetches the King James Bible as plain text (public domain) from Debian's bible-kjv packages into
# .cache/kjv/kjv.txt, for examples/char_lstm.mjs. Idempotent: does nothing when the file exists.
# Usage: scripts/fetch-kjv.sh [cache-dir]   (default .cache/kjv relative to the repo root)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-.cache/kjv}"
OUT="$DIR/kjv.txt"
if [ -s "$OUT" ]; then echo "$OUT already present"; exit 0; fi
mkdir -p "$DIR/root"
bash scripts/deb-extract.sh "$DIR/root" bible-kjv bible-kjv-text
ROOT="$(cd "$DIR/root" && pwd)"
"$ROOT/usr/bin/bible" -p "$ROOT/usr/lib" gen1:1-rev22:21 > "$OUT.tmp"
[ -s "$OUT.tmp" ] || { echo "fetch-kjv: the bible binary produced no text" >&2; exit 1; }
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT ($(wc -c < "$OUT") bytes)"
