#!/usr/bin/env bash
# Installs axe-core, the accessibility checker the browser tests run inside
# Chromium, from its npm package at a pinned version into e2e/testdata/axe
# (git-ignored). .ci/run calls it; run it once on a developer machine to
# have the accessibility tests run instead of skip. Nothing is fetched at
# test time.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION=4.14.1
dir=e2e/testdata/axe
have="$dir/node_modules/axe-core/package.json"
if [ -f "$have" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$have"; then
  exit 0
fi
npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts "axe-core@$AXE_VERSION"
test -f "$dir/node_modules/axe-core/axe.min.js"
echo "axe-core $AXE_VERSION in $dir"
