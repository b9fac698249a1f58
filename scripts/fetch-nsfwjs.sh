#!/usr/bin/env bash
# Fetches a real pretrained TensorFlow.js layers model: nsfwjs 4.3.0's mobilenet_v2 (MIT; Keras 2.2.4
# functional MobileNetV2, uint8-quantized weights) from the npm registry into .cache/nsfwjs as
# model.json + group1-shard1of1 (the package ships them as UMD .min.js wrappers), and Debian
# darknet's sample photos (dog, horses, eagle, ...) into .cache/photos, for the loadLayersModel test.
# Idempotent. Usage: scripts/fetch-nsfwjs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=.cache/nsfwjs PHOTOS=.cache/photos
if [ ! -s "$DIR/group1-shard1of1" ]; then
  mkdir -p "$DIR/pack"
  (cd "$DIR/pack" && npm pack --silent nsfwjs@4.3.0 >/dev/null && tar xzf nsfwjs-4.3.0.tgz)
  node -e '
    const fs = require("fs"), dir = process.argv[1], src = dir + "/pack/package/dist/models/mobilenet_v2/";
    fs.writeFileSync(dir + "/model.json", JSON.stringify(require(process.cwd() + "/" + src + "model.min.js")));
    fs.writeFileSync(dir + "/group1-shard1of1", Buffer.from(require(process.cwd() + "/" + src + "group1-shard1of1.min.js"), "base64"));
  ' "$DIR"
  rm -rf "$DIR/pack"
  echo "wrote $DIR/model.json and $DIR/group1-shard1of1 ($(wc -c < "$DIR/group1-shard1of1") bytes)"
fi
if [ ! -s "$PHOTOS/dog.jpg" ]; then
  bash scripts/deb-extract.sh "$PHOTOS/root" darknet
  cp "$PHOTOS"/root/usr/share/darknet/data/*.jpg "$PHOTOS/"
  rm -rf "$PHOTOS/root"
  echo "wrote $(ls "$PHOTOS"/*.jpg | wc -l) photos to $PHOTOS"
fi
