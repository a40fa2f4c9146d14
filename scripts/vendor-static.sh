#!/usr/bin/env bash
# vendor-static.sh fetches the third-party browser code the staff UI serves
# (htmx, and ECharts for the charts) from the npm registry and copies it into
# internal/web/kit/static/vendor, recording package, version and SHA-256 in
# VERSIONS.txt. Run it to upgrade; the vendored files are committed, so
# builds never reach the network.
#
#   scripts/vendor-static.sh            # latest htmx.org 2.x and echarts 6.x
#   HTMX_VERSION=2.0.4 ECHARTS_VERSION=6.1.0 scripts/vendor-static.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/internal/web/kit/static/vendor"

command -v npm >/dev/null || { echo "vendor-static: npm is required" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest"

# fetch SPEC DIST_FILE OUT_NAME: npm pack downloads the published tarball
# without installing anything or running package scripts.
lines=""
fetch() {
	local spec="$1" file="$2" out="$3" dir="$tmp/$3"
	mkdir -p "$dir"
	local tarball
	tarball="$(cd "$dir" && npm pack --silent "$spec" | tail -n 1)"
	tar -xzf "$dir/$tarball" -C "$dir"
	local name version sum
	name="$(node -p 'require(process.argv[1]).name' "$dir/package/package.json")"
	version="$(node -p 'require(process.argv[1]).version' "$dir/package/package.json")"
	cp "$dir/package/$file" "$dest/$out"
	sum="$(sha256sum "$dest/$out" | cut -d' ' -f1)"
	lines+="$(printf '%-17s %-10s %-8s %s' "$out" "$name" "$version" "$sum")"$'\n'
	echo "vendored $name $version into ${dest#"$root"/}/$out"
}

fetch "htmx.org@${HTMX_VERSION:-2}" dist/htmx.min.js htmx.min.js
fetch "echarts@${ECHARTS_VERSION:-6}" dist/echarts.min.js echarts.min.js

{
	echo "# Vendored by scripts/vendor-static.sh; do not edit by hand."
	echo "# file            package    version    sha256"
	printf '%s' "$lines"
} >"$dest/VERSIONS.txt"
