#!/usr/bin/env bash
# What a run that changes nothing writes: N distinct 12 KB pages
# (fixtures/article-v1.html with a number in the text; default 3,000) served
# on 127.0.0.1 by benches/serve.js without ETag/Last-Modified (every fetch a
# full 200), audited once from a stet.toml, then again under strace, which
# counts the calls that make a store write durable.
# Usage: benches/unchanged.sh [TARGETS] [STET]   (default target/release/stet)
set -euo pipefail
n=${1:-3000}
repo=$(cd "$(dirname "$0")/.." && pwd)
stet=${2:-$repo/target/release/stet}
port=${PORT:-18751}
command -v strace >/dev/null || { echo "skipped: strace not found" >&2; exit 0; }
source "$repo/benches/support/pages.sh"
audit=("$stet" --store "$work/store" audit --config "$work/stet.toml" -j 10 --no-links --quiet)
/usr/bin/time -f "first audit: %e s, peak RSS %M KB" "${audit[@]}" > /dev/null || true
/usr/bin/time -f "unchanged audit: %e s, peak RSS %M KB" "${audit[@]}" > /dev/null || true
strace -f -c -o "$work/strace" -e trace=fsync,fdatasync,syncfs,rename,renameat,renameat2,mkdir,mkdirat \
  "${audit[@]}" > /dev/null || true
echo "unchanged audit under strace (calls):"
awk '$NF ~ /^(fsync|fdatasync|syncfs|rename|renameat|renameat2|mkdir|mkdirat)$/ { print "  " $NF, $4 }' "$work/strace"
"$stet" --store "$work/store" verify | head -1
