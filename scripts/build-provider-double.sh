#!/usr/bin/env bash
# Builds the provider test doubles (providers/double) into a Terraform
# filesystem mirror:
#   <cache>/double-mirror/registry.terraform.io/ampbase-io/fly/0.2.0/<os>_<arch>/terraform-provider-fly_v0.2.0
#   <cache>/double-mirror/registry.terraform.io/hashicorp/null/3.2.4/<os>_<arch>/terraform-provider-null_v3.2.4
# <cache> is ${FLYSTACK_CACHE_DIR:-$HOME/.cache/flystack}. Skips the build when
# the stamp (hash of the module's sources, go.sum and providers/fly.schema.json)
# matches. Progress goes to stderr; the last stdout line is the mirror directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$root/providers/double"
schema_src="$root/providers/fly.schema.json"
schema_copy="$module/internal/schema/fly.schema.json" # gitignored; go:embed cannot reach ../
cache="${FLYSTACK_CACHE_DIR:-$HOME/.cache/flystack}"
mirror="$cache/double-mirror"

command -v go >/dev/null || { echo "build-provider-double: go is not on PATH" >&2; exit 1; }
platform="$(go env GOOS)_$(go env GOARCH)"
fly_bin="$mirror/registry.terraform.io/ampbase-io/fly/0.2.0/$platform/terraform-provider-fly_v0.2.0"
null_bin="$mirror/registry.terraform.io/hashicorp/null/3.2.4/$platform/terraform-provider-null_v3.2.4"
stamp_file="$mirror/.stamp-$platform"

# The embedded copy of the schema must match the committed one.
if ! cmp -s "$schema_src" "$schema_copy" 2>/dev/null; then
  cp "$schema_src" "$schema_copy"
fi

stamp="$(
  cd "$module"
  { find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) | LC_ALL=C sort | xargs sha256sum
    sha256sum "$schema_src" | cut -d' ' -f1
    go version; } | sha256sum | cut -d' ' -f1
)"

if [[ -x "$fly_bin" && -x "$null_bin" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
  echo "build-provider-double: up to date ($mirror)" >&2
  echo "$mirror"
  exit 0
fi

echo "build-provider-double: building into $mirror" >&2
start=$SECONDS
mkdir -p "$(dirname "$fly_bin")" "$(dirname "$null_bin")"
rm -f "$stamp_file"
(
  cd "$module"
  CGO_ENABLED=0 go build -trimpath -o "$fly_bin.tmp" ./cmd/terraform-provider-fly
  CGO_ENABLED=0 go build -trimpath -o "$null_bin.tmp" ./cmd/terraform-provider-null
) >&2
mv "$fly_bin.tmp" "$fly_bin"
mv "$null_bin.tmp" "$null_bin"
echo "$stamp" >"$stamp_file"
echo "build-provider-double: built in $((SECONDS - start))s" >&2
echo "$mirror"
