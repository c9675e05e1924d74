#!/usr/bin/env bash
# Peak memory of `stet audit` over N targets: N distinct 12 KB pages
# (fixtures/article-v1.html with a number in the text; default 1,000) served
# on 127.0.0.1 by benches/serve.js, audited from a stet.toml of N [[target]]s:
# a first audit and an unchanged one with `--no-links --quiet`, then an
# unchanged one printing the default text report to /dev/null. Each line:
# wall seconds, user+system CPU seconds, peak RSS (/usr/bin/time).
# Usage: benches/memory.sh [TARGETS] [STET]   (default target/release/stet)
set -euo pipefail
n=${1:-1000}
repo=$(cd "$(dirname "$0")/.." && pwd)
stet=${2:-$repo/target/release/stet}
port=${PORT:-18752}
[ -x "$stet" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v node >/dev/null || { echo "skipped: node (the page server) not found" >&2; exit 0; }
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/pages"
for ((i = 0; i < n; i++)); do
  sed "s/<\/h1>/ $i<\/h1>/" "$repo/fixtures/article-v1.html" > "$work/pages/p$i.html"
done
node "$repo/benches/serve.js" "$work/pages" "$port" & server=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/p0.html" && break; sleep 0.1; done
for ((i = 0; i < n; i++)); do printf '[[target]]\nurl = "http://127.0.0.1:%s/p%s.html"\n' "$port" "$i"; done > "$work/stet.toml"
audit=("$stet" --store "$work/store" audit --config "$work/stet.toml" -j 10 --no-links)
measure() {
  local what=$1; shift
  /usr/bin/time -f "$n targets, $what: %e s wall, %U+%S s CPU, peak RSS %M KB" "$@" > /dev/null || true
}
measure "first audit --quiet" "${audit[@]}" --quiet
measure "unchanged audit --quiet" "${audit[@]}" --quiet
measure "unchanged audit, text report" "${audit[@]}"
