#!/usr/bin/env bash
# Installs promtool (Prometheus' rule checker and rule unit-test runner) into
# ${FLYSTACK_CACHE_DIR:-$HOME/.cache/flystack}/bin/promtool, so __tests__/alerts/promtool.test.ts can
# check and unit-test the alerting rules flystack generates. With --with-amtool it also installs
# Alertmanager's amtool next to it (`amtool check-config` on the generated Alertmanager config); with
# --with-prometheus, the Prometheus server from the same package (the canary-gate and error-budget
# tests run it on 127.0.0.1 over backfilled series).
#
# Sources: promtool from Debian's `prometheus` package, fetched with `apt-get download` (no root
# needed) and unpacked with `dpkg-deb -x`; nothing is installed system-wide. Only if apt cannot
# deliver it, promtool is built from its Go module through the Go module proxy (about ten minutes).
# amtool is always built from its Go module (about a minute), at the Alertmanager release the
# monitoring app runs. Cached: a second run with the same versions takes no time. Progress goes to
# stderr; the last line of stdout is promtool's path (with --with-amtool, amtool's is the line before;
# with --with-prometheus, prometheus' is before those).
#   FLYSTACK_PROMTOOL_SOURCE=go         skip apt, build promtool from its Go module
#   FLYSTACK_PROMTOOL_GO_VERSION        github.com/prometheus/prometheus version for the Go build
#   FLYSTACK_AMTOOL_GO_VERSION          github.com/prometheus/alertmanager version of amtool
set -euo pipefail

with_amtool=0
with_prometheus=0
for arg in "$@"; do
  case "$arg" in
    --with-amtool) with_amtool=1 ;;
    --with-prometheus) with_prometheus=1 ;;
    *) echo "install-promtool: unknown argument $arg (usage: install-promtool.sh [--with-amtool] [--with-prometheus])" >&2; exit 2 ;;
  esac
done

cache_dir=${FLYSTACK_CACHE_DIR:-$HOME/.cache/flystack}
bin_dir=$cache_dir/bin
source_kind=${FLYSTACK_PROMTOOL_SOURCE:-apt}
go_prometheus=${FLYSTACK_PROMTOOL_GO_VERSION:-v0.316.0}     # Prometheus 3.16.0
# amtool from the Alertmanager release the monitoring app runs (src/config/monitoring-images.ts; a test
# checks they agree), so check-config parses the generated configuration as the deployed one will
# (Debian's 0.25 lacks options it uses, such as webhook url_file). About a minute to build.
go_alertmanager=${FLYSTACK_AMTOOL_GO_VERSION:-v0.33.0}

log() { echo "install-promtool: $*" >&2; }

# What a binary would be installed from: "debian <package> <version>" or "go <module>@<version>".
wanted() { # tool
  local package module version
  case "$1" in
    promtool|prometheus) package=prometheus; module=github.com/prometheus/prometheus; version=$go_prometheus ;;
    amtool) package=prometheus-alertmanager; module=github.com/prometheus/alertmanager; version=$go_alertmanager ;;
  esac
  if [[ $source_kind == apt && ( $1 == promtool || $1 == prometheus ) ]]; then
    # The candidate from the local package lists (no network): a Debian update re-installs.
    local candidate
    candidate=$(apt-cache policy "$package" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | head -n 1)
    if [[ -n $candidate && $candidate != "(none)" ]]; then echo "debian $package $candidate"; return; fi
  fi
  echo "go $module@$version"
}

up_to_date() { # tool stamp-value
  [[ -x $bin_dir/$1 && -f $bin_dir/$1.version && "$(<"$bin_dir/$1.version")" == "$2" ]]
}

work=$(mktemp -d "${TMPDIR:-/tmp}/flystack-promtool.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

# Debian package → the binary, or non-zero (with the reason on stderr).
from_apt() { # tool package version
  local tool=$1 package=$2 version=$3 dir=$work/apt-$1
  command -v apt-get >/dev/null 2>&1 || { log "apt-get is not on PATH"; return 1; }
  command -v dpkg-deb >/dev/null 2>&1 || { log "dpkg-deb is not on PATH"; return 1; }
  mkdir -p "$dir"
  log "apt-get download $package=$version"
  if ! (cd "$dir" && apt-get download "$package=$version" >"$dir.log" 2>&1); then
    log "apt-get download $package=$version failed:"; sed 's/^/  /' "$dir.log" >&2; return 1
  fi
  local deb
  deb=$(ls "$dir"/*.deb 2>/dev/null | head -n 1)
  [[ -n $deb ]] || { log "apt-get download $package left no .deb"; return 1; }
  dpkg-deb -x "$deb" "$dir/root" || { log "dpkg-deb -x $(basename "$deb") failed"; return 1; }
  [[ -x $dir/root/usr/bin/$tool ]] || { log "$(basename "$deb") has no usr/bin/$tool"; return 1; }
  "$dir/root/usr/bin/$tool" --version >/dev/null 2>&1 || { log "usr/bin/$tool from $(basename "$deb") does not run here"; return 1; }
  cp "$dir/root/usr/bin/$tool" "$bin_dir/$tool.tmp.$$"
}

# Go module (through the proxy) → the binary. Built from a writable copy of the module, as
# scripts/install-tofu.sh does (go install refuses modules with replace directives).
from_go() { # tool module@version
  local tool=$1 module=${2%@*} version=${2#*@} dir
  command -v go >/dev/null 2>&1 || { log "go is not on PATH"; return 1; }
  log "building $tool from $module@$version (a few minutes the first time)"
  dir=$(cd "$work" && GOFLAGS= go mod download -json "$module@$version" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const j = JSON.parse(s); if (j.Error) { console.error(j.Error); process.exit(1); } console.log(j.Dir);
    });') || { log "go mod download $module@$version failed"; return 1; }
  rm -rf "$work/src-$tool"
  cp -R "$dir" "$work/src-$tool"
  chmod -R u+w "$work/src-$tool"
  (cd "$work/src-$tool" && GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/prometheus/common/version.Version=${version#v}" -o "$bin_dir/$tool.tmp.$$" "./cmd/$tool") ||
    { log "go build ./cmd/$tool of $module@$version failed"; return 1; }
}

install_tool() { # tool
  local tool=$1 stamp start=$SECONDS
  stamp=$(wanted "$tool")
  if up_to_date "$tool" "$stamp"; then
    log "$tool ($stamp) up to date"
    return 0
  fi
  mkdir -p "$bin_dir"
  local installed=""
  if [[ $stamp == debian\ * ]]; then
    read -r _ package version <<<"$stamp"
    if from_apt "$tool" "$package" "$version"; then installed=$stamp
    else log "Debian's $package did not give $tool; falling back to the Go module proxy"
    fi
  else
    [[ $source_kind == apt && ( $tool == promtool || $tool == prometheus ) ]] && log "apt knows no candidate for $tool's package (apt-get update?); falling back to the Go module proxy"
  fi
  if [[ -z $installed ]]; then
    local go_stamp
    case "$tool" in
      promtool|prometheus) go_stamp="go github.com/prometheus/prometheus@$go_prometheus" ;;
      amtool) go_stamp="go github.com/prometheus/alertmanager@$go_alertmanager" ;;
    esac
    if up_to_date "$tool" "$go_stamp"; then log "$tool ($go_stamp) up to date"; return 0; fi
    from_go "$tool" "${go_stamp#go }" || { log "FAILED: could not install $tool, neither from Debian's package (apt-get download) nor from the Go module proxy (see above)"; exit 1; }
    installed=$go_stamp
  fi
  mv -f "$bin_dir/$tool.tmp.$$" "$bin_dir/$tool"
  printf '%s\n' "$installed" >"$bin_dir/$tool.version"
  log "$tool installed from $installed in $((SECONDS - start))s: $("$bin_dir/$tool" --version 2>&1 | head -n 1)"
}

install_tool promtool
if [[ $with_prometheus == 1 ]]; then
  install_tool prometheus
  echo "$bin_dir/prometheus"
fi
if [[ $with_amtool == 1 ]]; then
  install_tool amtool
  echo "$bin_dir/amtool"
fi
echo "$bin_dir/promtool"
