#!/usr/bin/env bash
# Installs what Ghost needs on a fresh machine, quickly when it is already there: the npm dependencies (npm ci when
# node_modules is missing or older than package-lock.json). Runs before `npm start` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
