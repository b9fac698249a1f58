#!/usr/bin/env bash
# Fetches real recorded speech and noise (Debian alsa-utils' test sounds, 48 kHz mono WAV) into
# .cache/sounds, for the Silero VAD import test. Idempotent.
# Usage: scripts/fetch-alsa-sounds.sh [cache-dir]   (default .cache/sounds relative to the repo root)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-.cache/sounds}"
if [ -s "$DIR/Front_Center.wav" ]; then echo "$DIR already present"; exit 0; fi
mkdir -p "$DIR/debs" "$DIR/root"
if ! ls "$DIR"/debs/alsa-utils_*.deb >/dev/null 2>&1; then
  (cd "$DIR/debs" && (apt-get download alsa-utils 2>/dev/null || { apt-get update >/dev/null 2>&1 || sudo apt-get update >/dev/null; apt-get download alsa-utils; }))
fi
dpkg-deb -x "$DIR"/debs/alsa-utils_*.deb "$DIR/root"
cp "$DIR"/root/usr/share/sounds/alsa/*.wav "$DIR/"
rm -rf "$DIR/root"
echo "wrote $(ls "$DIR"/*.wav | wc -l) WAV files to $DIR"
