#!/usr/bin/env bash
# `stet verify` of a store of at least 500 MB, against `sha256sum` over the
# same object files. Usage: benches/verify.sh [MB]   (default 512)
# Builds the release binary; works in a temporary directory it removes.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-512}
cargo build --release --quiet
stet=$PWD/target/release/stet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Pages of 1 MiB of pseudo-random words (deterministic), as local files.
python3 - "$work/pages" "$mb" <<'PY'
import os, random, sys
out, mb = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
rng = random.Random(42)
words = [''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(rng.randint(2, 9))) for _ in range(5000)]
for i in range(mb // 2):
    paras, size = [], 0
    while size < (1 << 20):
        p = '<p>' + ' '.join(rng.choice(words) for _ in range(120)) + '</p>\n'
        paras.append(p); size += len(p)
    with open(f'{out}/page{i:04}.html', 'w') as f:
        f.write('<html><body><article>' + ''.join(paras) + '</article></body></html>')
PY
"$stet" --store "$work/store" --quiet snapshot --max-body 4194304 "$work"/pages/*.html
rm -rf "$work/pages"
bytes=$(du -sb "$work/store/objects" | cut -f1)
echo "store: $(find "$work/store/objects" -type f | wc -l) objects, $((bytes / 1048576)) MiB"

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
# Warm the page cache once so both tools read from memory.
cat "$work"/store/objects/*/* > /dev/null

t0=$(date +%s.%N)
find "$work/store/objects" -type f -print0 | xargs -0 sha256sum > /dev/null
t1=$(date +%s.%N)
"$stet" --store "$work/store" verify --quiet
t2=$(date +%s.%N)
"$stet" --store "$work/store" verify --quiet 2>/dev/null
t3=$(date +%s.%N)
python3 - "$bytes" "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
b, t0, t1, t2, t3 = int(sys.argv[1]), *map(float, sys.argv[2:])
mib = b / 1048576
s, v, v2 = t1 - t0, t2 - t1, t3 - t2
print(f"sha256sum:   {s:.2f} s  {mib / s:.0f} MiB/s")
print(f"stet verify: {v:.2f} s  {mib / v:.0f} MiB/s  (second run {v2:.2f} s, {mib / v2:.0f} MiB/s)")
print(f"stet verify / sha256sum throughput: {s / min(v, v2):.2f}x")
PY
