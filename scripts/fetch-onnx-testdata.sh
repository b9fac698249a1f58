#!/usr/bin/env bash
# Fetches ONNX's own conformance data (Debian libonnx-testdata, Expat license): per-op models with
# input / output tensors, into .cache/onnx/data, for the ONNX import tests. Idempotent.
# Usage: scripts/fetch-onnx-testdata.sh [cache-dir]   (default .cache/onnx relative to the repo root)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-.cache/onnx}"
if [ -d "$DIR/data/node" ]; then echo "$DIR/data already present"; exit 0; fi
bash scripts/deb-extract.sh "$DIR/root" libonnx-testdata
mv "$DIR/root/usr/share/libonnx-testdata/data" "$DIR/data"
rm -rf "$DIR/root"
echo "wrote $DIR/data ($(ls "$DIR/data/node" | wc -l) node tests)"
