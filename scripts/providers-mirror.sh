#!/usr/bin/env bash
# Build the Terraform providers pinned in providers/versions.json from their Go
# modules (through the Go module proxy) into a Terraform filesystem mirror that
# lives outside the git tree, and write a Terraform CLI configuration that
# installs providers from that mirror only.
#
#   npm run providers:mirror
#   eval "$(npm run -s providers:mirror)"     # sets TF_CLI_CONFIG_FILE
#
# Progress goes to stderr; the last line of stdout is
#   export TF_CLI_CONFIG_FILE=<cache>/terraformrc
#
# Environment:
#   FLYSTACK_CACHE_DIR       cache root (default: $HOME/.cache/flystack)
#   FLYSTACK_PROVIDERS_JSON  pins file (default: providers/versions.json)
#   FLYSTACK_MIRROR_FORCE=1  rebuild even when the cached binary is current
#   FLYSTACK_MIRROR_TICK     seconds between "still building" lines (default 60)
#   FLYSTACK_MIRROR_SLOW=1   also build providers whose first build is slow (versions.json
#                            `buildMinutes` over 10, e.g. Cloudflare: about an hour on 2 cores).
#                            Without it such a provider is used when cached and otherwise skipped
#                            with a message, so a fresh machine's CI stays within its time.
#
# Per provider, versions.json gives `source` (namespace/type), `version` (the
# provider version Terraform sees), `goModule` and `goVersion` (the exact Go
# module version to build: usually a pseudo-version of the release tag's
# commit, because these repositories tag v3+/v5 without a /vN module path, so
# the Go toolchain ignores those tags). Without `goVersion`, v<version> is used.
#
# A module the proxy will not serve is reported and skipped; the script then
# exits 0. It exits non-zero only when a module that the proxy does serve fails
# to build (or on a setup error).
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
die() { log "providers-mirror: error: $*"; exit 1; }

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)

pins_file=${FLYSTACK_PROVIDERS_JSON:-$repo_root/providers/versions.json}
cache_dir=${FLYSTACK_CACHE_DIR:-$HOME/.cache/flystack}
mirror_dir=$cache_dir/terraform-mirror
stamp_root=$cache_dir/mirror-stamps
rc_file=$cache_dir/terraformrc

command -v go >/dev/null 2>&1 || die "go is not on PATH"
command -v node >/dev/null 2>&1 || die "node is not on PATH"
[[ -f $pins_file ]] || die "pins file not found: $pins_file"

# Terraform platform names are GOOS_GOARCH; the providers are built for the
# platform this script runs on.
goos=$(go env GOOS)
goarch=$(go env GOARCH)
platform=${goos}_${goarch}

# One tab-separated line per provider: key source version goModule goVersion
pins=$(node -e '
  const fs = require("fs");
  const pins = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  for (const [key, p] of Object.entries(pins)) {
    if (key.startsWith("$") || p === null || typeof p !== "object") continue;
    for (const f of ["source", "version", "goModule"]) {
      if (typeof p[f] !== "string" || p[f] === "") {
        console.error(`providers-mirror: ${key}: missing "${f}"`);
        process.exit(1);
      }
    }
    const goVersion = p.goVersion || "v" + p.version;
    const minutes = Number(p.buildMinutes || 0);
    console.log([key, p.source, p.version, p.goModule, goVersion, "pin", minutes].join("\t"));
    // A served substitute, built only when the proxy refuses the pin itself (see versions.json).
    const sub = p.mirrorSubstitute;
    if (sub && typeof sub === "object") {
      console.log([key, p.source, sub.version, sub.goModule || p.goModule, sub.goVersion || "v" + sub.version, "substitute", minutes].join("\t"));
    }
  }
' "$pins_file") || die "could not read $pins_file"

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/flystack-providers.XXXXXX")
cleanup() {
  stop_ticker
  # Copies of module-cache directories are read-only; make them removable.
  chmod -R u+w "$work_dir" 2>/dev/null || true
  rm -rf "$work_dir"
}
trap cleanup EXIT

mkdir -p "$mirror_dir" "$stamp_root"

# Common build environment: static binaries, no host paths baked in.
export CGO_ENABLED=0
export GO111MODULE=on

built=()
cached=()
skipped=()
slow=()
failed=()

ticker_pid=
stop_ticker() {
  if [[ -n $ticker_pid ]]; then
    kill "$ticker_pid" 2>/dev/null || true
    wait "$ticker_pid" 2>/dev/null || true
    ticker_pid=
  fi
}

# compile_module KEY MODULE GOVERSION VERSION TMPDIR: build the module's main
# package (its root) and set compiled_bin to the binary's path.
compiled_bin=
compile_module() {
  local key=$1 module=$2 gover=$3 version=$4 tmp=$5
  local ldflags="-s -w -X main.version=$version -X main.Version=$version"
  local err=$tmp/build.err
  compiled_bin=
  local flat_err
  if (cd "$tmp/probe" && GOFLAGS= GOBIN="$tmp/bin" \
        go install -trimpath -ldflags "$ldflags" "$module@$gover" 2>"$err"); then
    # go install names the binary after the module path (minus any /vN).
    compiled_bin=$(find "$tmp/bin" -maxdepth 1 -type f -perm -u+x | head -n 1)
  elif flat_err=$(tr -s '\n\t ' '   ' <"$err") &&
       [[ $flat_err =~ one\ or\ more\ (replace|exclude)\ directives ]]; then
    # go install mod@version refuses modules whose go.mod has replace/exclude
    # directives: build inside a writable copy of the downloaded module.
    log "[$key] its go.mod has replace/exclude directives; building in a copy of the module"
    local dir
    if ! dir=$(cd "$tmp/probe" && GOFLAGS= go mod download -json "$module@$gover" 2>"$err" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})' 2>>"$err"); then
      log "[$key] ERROR: go mod download $module@$gover failed:"
      tail -n 40 "$err" >&2
      return 1
    fi
    cp -R "$dir" "$tmp/src"
    chmod -R u+w "$tmp/src"
    if ! (cd "$tmp/src" && GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" \
          -o "$tmp/bin/provider" . 2>"$err"); then
      log "[$key] ERROR: go build of $module@$gover failed:"
      tail -n 40 "$err" >&2
      return 1
    fi
    compiled_bin=$tmp/bin/provider
  else
    log "[$key] ERROR: go install $module@$gover failed:"
    tail -n 40 "$err" >&2
    return 1
  fi
  if [[ -z $compiled_bin || ! -x $compiled_bin ]]; then
    log "[$key] ERROR: the build of $module@$gover left no binary"
    return 1
  fi
}

# build_provider KEY SOURCE VERSION MODULE GOVERSION BUILD_MINUTES
build_provider() {
  local key=$1 source=$2 version=$3 module=$4 gover=$5 minutes=${6:-0}
  local ns type
  ns=$(tr '[:upper:]' '[:lower:]' <<<"${source%%/*}")
  type=$(tr '[:upper:]' '[:lower:]' <<<"${source##*/}")
  [[ -n $ns && -n $type && $source == */* ]] || die "$key: source must be namespace/type, got '$source'"

  local dest_dir=$mirror_dir/registry.terraform.io/$ns/$type/$version/$platform
  local bin_name=terraform-provider-${type}_v${version}
  local dest=$dest_dir/$bin_name
  # The stamp lives outside the package directory: Terraform hashes every file
  # in that directory for .terraform.lock.hcl.
  local stamp=$stamp_root/registry.terraform.io/$ns/$type/${version}_${platform}.stamp
  local want_stamp="$module@$gover"
  local start=$SECONDS

  if [[ ${FLYSTACK_MIRROR_FORCE:-0} != 1 && -x $dest && -f $stamp && "$(<"$stamp")" == "$want_stamp" ]]; then
    log "[$key] $ns/$type $version: up to date ($module@$gover), skipped build"
    cached+=("$key")
    return 0
  fi

  log "[$key] $ns/$type $version: resolving $module@$gover via $(go env GOPROXY | cut -d, -f1)"
  local tmp=$work_dir/$key
  mkdir -p "$tmp/bin" "$tmp/probe"

  # Ask the proxy for the module version. Run outside any module so that no
  # go.mod in the current directory is consulted.
  local probe_err=$tmp/probe.err
  if ! (cd "$tmp/probe" && GOFLAGS= go list -m -json "$module@$gover" >"$tmp/probe.json" 2>"$probe_err"); then
    local msg
    msg=$(tr -s '\n\t' '  ' <"$probe_err" | sed 's/  */ /g; s/ $//')
    log ""
    log "WARNING: [$key] skipping $ns/$type $version: the Go module proxy did not serve $module@$gover, so the provider cannot be built and is NOT in the mirror. Terraform configurations that require $source will fail to init with this CLI configuration until it is available. The go command printed: $msg"
    log ""
    skipped+=("$key")
    return 0
  fi

  if (( minutes > 10 )) && [[ ${FLYSTACK_MIRROR_SLOW:-0} != 1 ]]; then
    log "[$key] $ns/$type $version: not in the cache, and its first build takes about $minutes minutes: not built. Tests that need it skip and say so. Build it once with FLYSTACK_MIRROR_SLOW=1 npm run providers:mirror"
    slow+=("$key")
    return 0
  fi

  log "[$key] building $module@$gover ($platform) ..."
  # A big provider takes many minutes on a small machine: say so now and then.
  (
    sleeper=
    trap 'kill $sleeper 2>/dev/null; exit 0' TERM
    while :; do
      sleep "${FLYSTACK_MIRROR_TICK:-60}" </dev/null >/dev/null 2>&1 &
      sleeper=$!
      wait "$sleeper" || true
      log "[$key] still building ... $((SECONDS - start))s"
    done
  ) &
  ticker_pid=$!
  local rc=0
  compile_module "$key" "$module" "$gover" "$version" "$tmp" || rc=$?
  stop_ticker
  if [[ $rc -ne 0 ]]; then
    log "[$key] FAILED after $((SECONDS - start))s"
    failed+=("$key")
    return 1
  fi

  # Install atomically, replacing whatever was there for this version.
  mkdir -p "$dest_dir" "$(dirname "$stamp")"
  rm -f "$dest_dir"/terraform-provider-"$type"*
  cp "$compiled_bin" "$dest.tmp.$$"
  chmod 0755 "$dest.tmp.$$"
  mv -f "$dest.tmp.$$" "$dest"
  printf '%s\n' "$want_stamp" >"$stamp"
  log "[$key] built $ns/$type $version in $((SECONDS - start))s -> mirror"
  built+=("$key")
}

total_start=$SECONDS
status=0
while IFS=$'\t' read -r key source version module gover kind minutes; do
  [[ -n $key ]] || continue
  if [[ $kind == substitute ]]; then
    # Only when the pinned version was refused: then Terraform tests can still run the provider,
    # at the nearest version the proxy serves, and say so.
    [[ " ${skipped[*]} " == *" $key "* ]] || continue
    log "[$key] the pinned version was not served; building the substitute from versions.json instead: $source $version"
    remaining=()
    for k in "${skipped[@]}"; do [[ $k == "$key" ]] || remaining+=("$k"); done
    skipped=("${remaining[@]}")
    build_provider "$key" "$source" "$version" "$module" "$gover" "$minutes" </dev/null || status=1
    continue
  fi
  build_provider "$key" "$source" "$version" "$module" "$gover" "$minutes" </dev/null || status=1
done <<<"$pins"

# CLI configuration: everything from registry.terraform.io comes from the
# mirror, nothing from the network.
mkdir -p "$cache_dir"
cat >"$rc_file.tmp.$$" <<EOF
# Written by flystack scripts/providers-mirror.sh; rerun it to refresh.
provider_installation {
  filesystem_mirror {
    path    = "$mirror_dir"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
EOF
mv -f "$rc_file.tmp.$$" "$rc_file"

join() { local IFS=,; printf '%s' "${*:-none}"; }
log "providers-mirror: done in $((SECONDS - total_start))s; built: $(join "${built[@]}"); up to date: $(join "${cached[@]}"); skipped (not served): $(join "${skipped[@]}"); not built (slow, not cached): $(join "${slow[@]}"); failed: $(join "${failed[@]}")"
log "providers-mirror: mirror $mirror_dir"

if [[ $status -ne 0 ]]; then
  exit "$status"
fi
printf 'export TF_CLI_CONFIG_FILE=%q\n' "$rc_file"
