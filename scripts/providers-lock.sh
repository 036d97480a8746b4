#!/usr/bin/env bash
# Writes providers/terraform.lock.hcl: the Terraform dependency lock for the providers pinned in
# providers/versions.json, with the checksums of every platform the team runs on. Commit it: every
# stack then starts from it (cli/stack-init.ts), so the Terraform plugin cache serves every stack
# of a workflow job, and a provider whose checksum is not in it is never run.
#
#   npm run providers:lock                          from the registry (needs registry.terraform.io)
#   FLYSTACK_PROVIDERS_FS_MIRROR=DIR npm run providers:lock
#                                                   from a filesystem mirror, for this platform only
#
# Environment:
#   FLYSTACK_PROVIDERS_JSON       pins file (default: providers/versions.json)
#   FLYSTACK_LOCK_FILE            where to write (default: providers/terraform.lock.hcl)
#   FLYSTACK_LOCK_PLATFORMS       space-separated (default: linux_amd64 linux_arm64 darwin_amd64 darwin_arm64)
#   FLYSTACK_PROVIDERS_FS_MIRROR  a filesystem mirror to lock from instead of the registry
# Progress and Terraform's output go to stderr; the last line of stdout is the lock file's path.
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
die() { log "providers-lock: error: $*"; exit 1; }

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)
pins_file=${FLYSTACK_PROVIDERS_JSON:-$repo_root/providers/versions.json}
lock_file=${FLYSTACK_LOCK_FILE:-$repo_root/providers/terraform.lock.hcl}

command -v terraform >/dev/null 2>&1 || die "terraform is not on PATH"
command -v node >/dev/null 2>&1 || die "node is not on PATH"
[[ -f $pins_file ]] || die "pins file not found: $pins_file"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The pinned providers as a configuration's required_providers, exactly as the stacks pin them.
node -e '
  const fs = require("fs");
  const pins = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const required = {};
  for (const [name, pin] of Object.entries(pins)) {
    if (name.startsWith("$")) continue;
    required[name] = { source: pin.source, version: pin.constraint };
  }
  fs.writeFileSync(process.argv[2], JSON.stringify({ terraform: { required_providers: required } }, null, 2));
' "$pins_file" "$work/main.tf.json"

args=()
if [[ -n ${FLYSTACK_PROVIDERS_FS_MIRROR:-} ]]; then
  [[ -d $FLYSTACK_PROVIDERS_FS_MIRROR ]] || die "FLYSTACK_PROVIDERS_FS_MIRROR is not a folder: $FLYSTACK_PROVIDERS_FS_MIRROR"
  args+=("-fs-mirror=$FLYSTACK_PROVIDERS_FS_MIRROR")
  platforms=${FLYSTACK_LOCK_PLATFORMS:-"$(go env GOOS 2>/dev/null || uname -s | tr '[:upper:]' '[:lower:]')_$(go env GOARCH 2>/dev/null || echo amd64)"}
else
  platforms=${FLYSTACK_LOCK_PLATFORMS:-"linux_amd64 linux_arm64 darwin_amd64 darwin_arm64"}
fi
for platform in $platforms; do args+=("-platform=$platform"); done

log "providers-lock: locking $(node -e 'console.log(Object.keys(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).terraform.required_providers).join(", "))' "$work/main.tf.json") for $platforms…"
(cd "$work" && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null terraform providers lock "${args[@]}" >&2) || die "terraform providers lock failed (above)"
mkdir -p "$(dirname "$lock_file")"
cp "$work/.terraform.lock.hcl" "$lock_file"
log "providers-lock: wrote $lock_file; commit it"
echo "$lock_file"
