#!/usr/bin/env bash
# Installs what Ghost needs on a fresh machine, quickly when it is already there:
# - the npm dependencies (npm ci when node_modules is missing or older than package-lock.json);
# - Debian's bubblewrap, the sandbox for commands at the autopilot level (tests of it are skipped without it).
# The real-VS-Code tests install their own tools (scripts/vscode-tools.sh). Runs before `npm start` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if ! command -v bwrap >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if $sudo true 2>/dev/null; then
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null
  else
    echo "setup: bubblewrap is not installed and apt-get needs root; autopilot commands will ask instead of running sandboxed" >&2
  fi
fi
