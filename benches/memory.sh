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
source "$repo/benches/support/pages.sh"
audit=("$stet" --store "$work/store" audit --config "$work/stet.toml" -j 10 --no-links)
measure() {
  local what=$1; shift
  /usr/bin/time -f "$n targets, $what: %e s wall, %U+%S s CPU, peak RSS %M KB" "$@" > /dev/null || true
}
measure "first audit --quiet" "${audit[@]}" --quiet
measure "unchanged audit --quiet" "${audit[@]}" --quiet
measure "unchanged audit, text report" "${audit[@]}"
