#!/usr/bin/env bash
# Installs what Ghost needs on a fresh machine, quickly when it is already there:
# - the npm dependencies (npm ci when node_modules is missing or older than package-lock.json);
# - Debian's bubblewrap, the sandbox for commands at the autopilot level (tests of it are skipped without it).
# The real-VS-Code tests install their own tools (scripts/vscode-tools.sh). Runs before `npm start` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

# No dependency runs an install script: package.json's allowScripts denies them all (npm 11 then skips them without
# a warning). None is needed: onnxruntime-node ships its CPU binaries (its script would fetch CUDA ones, which fails
# offline), the tree-sitter grammars are used as the .wasm files they ship, esbuild finds its binary without its
# script. npm 10 ignores allowScripts, so onnxruntime-node is also told to skip through its environment variable.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (about a minute the first time)…"
  start=$SECONDS
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
  echo "setup: npm ci $(( SECONDS - start ))s"
fi

if ! command -v bwrap >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if $sudo true 2>/dev/null; then
    echo "setup: apt-get install bubblewrap…"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null
  else
    echo "setup: bubblewrap is not installed and apt-get needs root; autopilot commands will ask instead of running sandboxed" >&2
  fi
fi
