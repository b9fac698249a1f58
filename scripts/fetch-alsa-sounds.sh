#!/usr/bin/env bash
# Fetches real recorded speech and noise (Debian alsa-utils' test sounds, 48 kHz mono WAV) into
# .cache/sounds, for the Silero VAD import test. Idempotent.
# Usage: scripts/fetch-alsa-sounds.sh [cache-dir]   (default .cache/sounds relative to the repo root)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-.cache/sounds}"
if [ -s "$DIR/Front_Center.wav" ]; then echo "$DIR already present"; exit 0; fi
bash scripts/deb-extract.sh "$DIR/root" alsa-utils
cp "$DIR"/root/usr/share/sounds/alsa/*.wav "$DIR/"
rm -rf "$DIR/root"
echo "wrote $(ls "$DIR"/*.wav | wc -l) WAV files to $DIR"
