#!/usr/bin/env bash
# vendor-static.sh fetches the third-party browser code the staff UI serves
# (htmx) from the npm registry and copies it into internal/web/kit/static/vendor,
# recording package, version and SHA-256 in VERSIONS.txt. Run it to upgrade;
# the vendored files are committed, so builds never reach the network.
#
#   scripts/vendor-static.sh            # latest htmx.org 2.x
#   HTMX_VERSION=2.0.4 scripts/vendor-static.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/internal/web/kit/static/vendor"
spec="htmx.org@${HTMX_VERSION:-2}"

command -v npm >/dev/null || { echo "vendor-static: npm is required" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# npm pack downloads the published tarball without installing anything or
# running package scripts.
tarball="$(cd "$tmp" && npm pack --silent "$spec" | tail -n 1)"
tar -xzf "$tmp/$tarball" -C "$tmp"
version="$(node -p 'require(process.argv[1]).version' "$tmp/package/package.json")"

mkdir -p "$dest"
cp "$tmp/package/dist/htmx.min.js" "$dest/htmx.min.js"
sum="$(sha256sum "$dest/htmx.min.js" | cut -d' ' -f1)"

cat >"$dest/VERSIONS.txt" <<TXT
# Vendored by scripts/vendor-static.sh; do not edit by hand.
# file            package    version    sha256
htmx.min.js       htmx.org   $version   $sum
TXT

echo "vendored htmx.org $version into ${dest#"$root"/}"
