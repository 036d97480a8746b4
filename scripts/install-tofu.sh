#!/usr/bin/env bash
# Builds OpenTofu from its Go module (the Go module proxy serves it; no download of a prebuilt
# binary) into ${FLYSTACK_CACHE_DIR:-$HOME/.cache/flystack}/bin/tofu, so the CLI's end-to-end tests
# can run against `tofu` as well as `terraform`. Cached: a second run with the same version takes
# no time. Its go.mod has replace directives, so `go install mod@version` refuses it: the module is
# downloaded and built from a writable copy. Prints the binary's path as its last line.
set -euo pipefail

version=${FLYSTACK_TOFU_VERSION:-v1.12.6}
module=github.com/opentofu/opentofu
cache_dir=${FLYSTACK_CACHE_DIR:-$HOME/.cache/flystack}
bin=$cache_dir/bin/tofu
stamp=$cache_dir/bin/tofu.version

if [[ -x $bin && -f $stamp && "$(<"$stamp")" == "$module@$version" ]]; then
  echo "install-tofu: OpenTofu $version up to date" >&2
  echo "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || { echo "install-tofu: go is not on PATH" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/flystack-tofu.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
start=$SECONDS
echo "install-tofu: building OpenTofu $version from $module (a few minutes the first time)" >&2
dir=$(cd "$work" && GOFLAGS= go mod download -json "$module@$version" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const j = JSON.parse(s); if (j.Error) { console.error(j.Error); process.exit(1); } console.log(j.Dir);
  });')
cp -R "$dir" "$work/src"
chmod -R u+w "$work/src"
mkdir -p "$(dirname "$bin")"
(cd "$work/src" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin.tmp.$$" ./cmd/tofu)
mv -f "$bin.tmp.$$" "$bin"
printf '%s\n' "$module@$version" >"$stamp"
echo "install-tofu: built in $((SECONDS - start))s" >&2
echo "$bin"
