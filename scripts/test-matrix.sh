#!/usr/bin/env bash
# The README's test command, `npm ci && npm test`, on every Node.js major koobridge supports, one
# after the other (npm run test:matrix).
#
#   scripts/test-matrix.sh            # the whole matrix: 20, 22 and 24
#   scripts/test-matrix.sh 22 24      # only these majors
#
# Each major runs from a clean `npm ci` in its own copy of the work tree, in a temporary folder
# outside the repository: no runtime's node_modules or build output is seen by another, nor can
# module resolution climb into the repository's own node_modules. The copy is the work tree as git
# sees it (tracked and untracked files, uncommitted edits included; nothing git ignores). A major
# that the machine's own `node` has runs on it; any other is fetched from the npm registry by
# scripts/with-node.sh (its newest release). A copy is removed when its run passed and kept, with
# its log, when it failed. Exits non-zero if any run failed.
set -euo pipefail

# Keep equal to TESTED_NODE_MAJORS in src/shared/runtime.ts and to package.json's engines (a unit
# test checks all three).
MATRIX=(20 22 24)

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=("${MATRIX[@]}")
machine_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)
work=$(mktemp -d "${TMPDIR:-/tmp}/koobridge-matrix.XXXXXX")

copy_work_tree() { # $1: destination
  if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$repo" ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$repo/$f" ] && printf '%s\0' "$f"; done |
      tar -C "$repo" --null --files-from=- -cf - | tar -C "$1" -xf -
  else
    tar -C "$repo" --exclude=./node_modules --exclude=./dist --exclude=./build --exclude=./.cache -cf - . | tar -C "$1" -xf -
  fi
}

count() { # $1: log, $2: passed|failed — from vitest's closing "Tests  N failed | N passed (N)"
  sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^ *Tests +[0-9]' | tail -n 1 | grep -oE "[0-9]+ $2" | grep -oE '^[0-9]+' || echo 0
}

summary=()
total_passed=0
total_failed=0
status=0
started=$SECONDS
for major in "${majors[@]}"; do
  copy=$work/node-$major
  log=$work/node-$major.log
  mkdir -p "$copy"
  copy_work_tree "$copy"
  if [ "$major" = "$machine_major" ]; then
    runner=()
  else
    runner=("$repo/scripts/with-node.sh" "$major" --)
  fi
  echo "=== test matrix: Node.js $major in $copy"
  t0=$SECONDS
  if (cd "$copy" && "${runner[@]}" bash -c 'echo "=== node $(node --version), npm $(npm --version): npm ci && npm test" && npm ci && npm test') 2>&1 | tee "$log"; then
    result=ok
    rm -rf "$copy"
  else
    result="FAILED (copy and log kept in $work)"
    status=1
  fi
  version=$(grep -m 1 -oE '^=== node v[0-9.]+' "$log" | grep -oE 'v[0-9.]+$' || echo "$major")
  passed=$(count "$log" passed)
  failed=$(count "$log" failed)
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summary+=("node $version: $passed tests passed, $failed failed, $((SECONDS - t0)) s, $result")
done

[ $status -ne 0 ] || rm -rf "$work"
echo
echo "=== test matrix, $((SECONDS - started)) s in all"
printf '%s\n' "${summary[@]}"
echo "matrix: $total_passed passed, $total_failed failed"
exit $status
