#!/usr/bin/env bash
# Web archive throughput: `stet export --warc` and `stet import --warc` on the
# WARC of Mozilla Readability's 130 test pages (captured over HTTP from a
# local server), against `warcio index` and `warcio check` on the same file.
# Usage: benches/warc.sh [ROUNDS]   (default 3; the best round is reported)
# Needs ../shared and warcio ($STET_WARCIO or on PATH). Builds the release
# binary; works in a temporary directory it removes.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
warcio=${STET_WARCIO:-warcio}
pages=../shared/corpus/readability/test/test-pages
cargo build --release --quiet
stet=$PWD/target/release/stet
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server"; rm -rf "$work"' EXIT

mkdir "$work/site"
for d in "$pages"/*/; do cp "$d/source.html" "$work/site/$(basename "$d").html"; done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
sleep 1
urls=()
for f in "$work"/site/*.html; do urls+=("http://127.0.0.1:$port/$(basename "$f")"); done
"$stet" --store "$work/store" --quiet snapshot -j 4 "${urls[@]}"

best() { # COMMAND...: the best wall-clock seconds of $rounds runs
  local b= t
  for _ in $(seq "$rounds"); do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$b" ] || (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
  done
  echo "$b"
}
import_once() { rm -rf "$work/imported"; "$stet" --store "$work/imported" --quiet import --warc "$work/a.warc.gz"; }

export_s=$(best "$stet" --store "$work/store" --quiet export --warc "$work/a.warc.gz")
bytes=$(stat -c %s "$work/a.warc.gz")
raw=$(python3 -c "import gzip,sys; print(len(gzip.open(sys.argv[1]).read()))" "$work/a.warc.gz")
import_s=$(best import_once)
index_s=$(best "$warcio" index "$work/a.warc.gz")
check_s=$(best "$warcio" check "$work/a.warc.gz")
mbs() { echo "scale=1; $raw / 1048576 / $1" | bc -l; }
printf 'WARC: %d records of %d pages, %.1f MB gzip, %.1f MB uncompressed\n' \
  "$(zcat "$work/a.warc.gz" | grep -ac '^WARC/1.1')" "${#urls[@]}" \
  "$(echo "$bytes / 1048576" | bc -l)" "$(echo "$raw / 1048576" | bc -l)"
printf '%-28s %8s s  %6s MB/s (uncompressed)\n' \
  "stet export --warc" "$export_s" "$(mbs "$export_s")" \
  "stet import --warc" "$import_s" "$(mbs "$import_s")" \
  "warcio index" "$index_s" "$(mbs "$index_s")" \
  "warcio check" "$check_s" "$(mbs "$check_s")"
