#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` (CPU only) for the tests and benchmarks of the remote backend (model/remote/),
# from the llama.cpp source that npm's node-llama-cpp@3.21.1 ships as a git bundle, so the version is pinned by an npm
# package instead of a GitHub download (which a CI machine may not reach). Cached outside the checkout in
# ${GHOST_HOME:-~/.cache/ghost}/tools/llama-server-3.21.1/: bin/llama-server, statically linked so the folder is
# self-contained, and gguf-py/, that source's GGUF writer, which scripts/make-test-gguf.py uses.
# Idempotent: a warm run takes well under a second and prints nothing. The cold build says so before it starts
# (20-30 minutes on two busy cores) and prints its time after. Knows nothing about the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
for name in $(compgen -e | grep -i '^npm_'); do unset "$name"; done # npm run's settings must not reach `npm pack`

version=3.21.1
dest="${GHOST_HOME:-$HOME/.cache/ghost}/tools/llama-server-$version"
[ -x "$dest/bin/llama-server" ] && exit 0

# The compilers: Debian's cmake, make and g++, installed like scripts/vscode-tools.sh installs chromium.
missing=()
for package in cmake make g++; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "llama-server: apt-get install ${missing[*]} (a minute)…"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "llama-server: building llama-server from node-llama-cpp@$version's llama.cpp (20-30 minutes on 2 cores, once)…"
start=$SECONDS
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-llama-cpp@$version" >/dev/null)
tar -xzf "$work/node-llama-cpp-$version.tgz" -C "$work" package/llama/gitRelease.bundle
git -c advice.detachedHead=false clone --quiet "$work/package/llama/gitRelease.bundle" "$work/llama.cpp"
# Only the server, statically linked: no curl or OpenSSL (models are local files, the tests speak plain HTTP), no tests
# or examples, no web UI (building it runs npm, and the prebuilt one is a download), no BLAS or GPU backends, no
# OpenMP (ggml's own thread pool). GGML_NATIVE=OFF: a cache restored onto another x86-64 CPU still runs.
cmake -S "$work/llama.cpp" -B "$work/build" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF -DGGML_CCACHE=OFF \
  >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; exit 1; }
nice cmake --build "$work/build" --target llama-server -j2 >"$work/build.log" 2>&1 || { tail -n 50 "$work/build.log" >&2; exit 1; }
"$work/build/bin/llama-server" --version >/dev/null 2>&1 || { echo "llama-server: the built binary does not run" >&2; exit 1; }
# Into place with one rename, so an interrupted build never leaves a half-filled cache that the check above trusts.
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.partial" && mkdir -p "$dest.partial/bin"
cp "$work/build/bin/llama-server" "$dest.partial/bin/"
cp -r "$work/llama.cpp/gguf-py" "$dest.partial/"
git -C "$work/llama.cpp" rev-parse HEAD >"$dest.partial/llama.cpp-commit"
rm -rf "$dest" && mv "$dest.partial" "$dest"
echo "llama-server: built in $(( SECONDS - start ))s"
