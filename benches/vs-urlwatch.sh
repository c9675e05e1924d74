#!/usr/bin/env bash
# stet vs urlwatch, side by side in one run, on N real article pages
# (default 500) from ../shared/corpus (article-extraction-benchmark and
# fundus-evaluation), decompressed and served on 127.0.0.1 by node (no
# ETag/Last-Modified, so every fetch is a full 200). urlwatch comes from
# PyPI into a scratch venv, with the html2text filter; both use 10 workers.
# Each tool runs a first audit (empty store/cache) and an unchanged run.
# Usage: benches/vs-urlwatch.sh [PAGES] [ROUNDS]   (stet: target/release/stet)
set -euo pipefail
pages=${1:-500}
rounds=${2:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
stet=${STET:-$repo/target/release/stet}
corpus=${STET_CORPUS:-$repo/../shared/corpus}
port=${PORT:-18741}
[ -x "$stet" ] || { echo "build first: cargo build --release" >&2; exit 2; }
[ -d "$corpus" ] || { echo "skipped: no corpus at $corpus" >&2; exit 0; }
command -v node >/dev/null || { echo "skipped: node (the page server) not found" >&2; exit 0; }
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q urlwatch html2text

# Pages: the corpora's files, numbered; past the end they repeat with a
# comment naming the copy (a distinct body, the same article).
mkdir "$work/pages"
files=("$corpus"/article-extraction-benchmark/html/*.html.gz "$corpus"/fundus-evaluation/dataset/html/*.html.gz)
for ((i = 0; i < pages; i++)); do
  f=${files[$((i % ${#files[@]}))]}
  { gzip -dc "$f"; [ "$i" -lt "${#files[@]}" ] || echo "<!-- copy $i -->"; } > "$work/pages/p$i.html"
done
node "$repo/benches/serve.js" "$work/pages" "$port" & server=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/p0.html" && break; sleep 0.1; done

urls=()
for ((i = 0; i < pages; i++)); do urls+=("http://127.0.0.1:$port/p$i.html"); done
{
  for u in "${urls[@]}"; do printf '[[target]]\nurl = "%s"\n' "$u"; done
} > "$work/stet.toml"
{
  for u in "${urls[@]}"; do printf -- '---\nurl: %s\nfilter:\n  - html2text\n' "$u"; done
} > "$work/urls.yaml"
printf 'display:\n  new: false\n  error: true\n  unchanged: false\nreport:\n  stdout:\n    enabled: true\n    color: false\n' > "$work/urlwatch.yaml"

# Wall seconds of a command; its output is kept to check it did its work.
# (CPU seconds, user + system, go to $work/cpu: on a shared machine they
# tell more than wall time.)
secs() {
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U + %S" -o "$work/cpu" "$@" > "$work/out" 2>&1 || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
cpu() { tail -n 1 "$work/cpu" | bc; }
errors() { grep -c -i -E '^ERROR|error' "$work/out" || true; }
run_stet=("$stet" --store "$work/store-0" audit --config "$work/stet.toml" -j 10 --no-links --quiet)
run_urlwatch=("$work/venv/bin/urlwatch" --urls "$work/urls.yaml" --config "$work/urlwatch.yaml" --cache "$work/cache-0.db")
cd "$work"

printf '%-6s %-10s %10s %10s %10s %10s\n' round tool first unchanged first-cpu unch-cpu
for ((r = 1; r <= rounds; r++)); do
  # A fresh store per round, the old ones kept until the end: on ext4
  # without a journal, files made just after thousands were deleted pay
  # for the kernel skipping the recently deleted inodes (1-3 s of system
  # time for stet's ~4,700 files; one file for urlwatch).
  run_stet[2]="$work/store-$r"; run_urlwatch[6]="$work/cache-$r.db"
  sf=$(secs "${run_stet[@]}"); sfc=$(cpu)
  [ "$(errors)" = 0 ] || { echo "stet reported errors:" >&2; head "$work/out" >&2; }
  su=$(secs "${run_stet[@]}"); suc=$(cpu)
  uf=$(secs "${run_urlwatch[@]}"); ufc=$(cpu)
  [ "$(errors)" = 0 ] || { echo "urlwatch reported errors:" >&2; head "$work/out" >&2; }
  uu=$(secs "${run_urlwatch[@]}"); uuc=$(cpu)
  row='%-6s %-10s %9.2fs %9.2fs %9.2fs %9.2fs\n'
  printf "$row" "$r" stet "$sf" "$su" "$sfc" "$suc"
  printf "$row" "$r" urlwatch "$uf" "$uu" "$ufc" "$uuc"
  printf '%-6s %-10s %9.1fx %9.1fx %9.1fx %9.1fx\n' "$r" ratio "$(echo "$uf / $sf" | bc -l)" \
    "$(echo "$uu / $su" | bc -l)" "$(echo "$ufc / $sfc" | bc -l)" "$(echo "$uuc / $suc" | bc -l)"
done
