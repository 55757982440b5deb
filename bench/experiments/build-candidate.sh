#!/usr/bin/env bash
# Builds lib/ with the given patches applied into .tmp/bench-candidate/dist, without touching lib/ or git:
#   bash bench/experiments/build-candidate.sh bench/experiments/*.patch
#   npm run build && node bench/run.mjs --compare-dist .tmp/bench-candidate/dist
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$repo/.tmp/bench-candidate"
rm -rf "$out"
mkdir -p "$out"
cp -r "$repo/lib" "$out/lib"
for patch in "$@"; do
  # The patches also add their tests (under test/): only lib/ is built here.
  file="$(realpath "$patch")"
  (cd "$out" && patch -p1 --quiet --no-backup-if-mismatch < "$file")
done
cat > "$out/tsconfig.json" <<JSON
{ "extends": "../../tsconfig.build.json", "compilerOptions": { "rootDir": "lib", "outDir": "dist" }, "include": ["lib"] }
JSON
(cd "$out" && "$repo/node_modules/.bin/tsc" -p tsconfig.json)
echo "built $out/dist"
