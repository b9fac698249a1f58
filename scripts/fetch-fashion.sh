#!/usr/bin/env bash
# Fetches Fashion-MNIST (Expat) from Debian's dataset-fashion-mnist package into .cache/fashion/
# (extracted, no install), for examples/fashion_cnn.mjs. Idempotent: does nothing when the files exist.
# Usage: scripts/fetch-fashion.sh [cache-dir]   (default .cache/fashion relative to the repo root)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-.cache/fashion}"
DATA="$DIR/usr/share/datasets/fashion-mnist"
if [ -s "$DATA/t10k-labels-idx1-ubyte.gz" ] && [ -s "$DATA/train-images-idx3-ubyte.gz" ]; then
  echo "$DATA already present"; exit 0
fi
bash scripts/deb-extract.sh "$DIR" dataset-fashion-mnist
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -s "$DATA/$f.gz" ] || [ -s "$DATA/$f" ] || { echo "fetch-fashion: $DATA/$f(.gz) missing after extraction" >&2; exit 1; }
done
echo "extracted Fashion-MNIST into $DATA"
