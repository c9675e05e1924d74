#!/usr/bin/env bash
# Whole-process word diff: `stet diff` vs `git diff --no-index --word-diff`
# on (1) two 1 MB article texts with 1% of the words changed and (2) two
# 100 KB texts that share nothing. Usage: benches/diff.sh [RUNS] (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release --quiet
stet=${CARGO_TARGET_DIR:-$PWD/target}/release/stet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import random, sys
out = sys.argv[1]
rng = random.Random(7)
vocab = [''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(rng.randint(2, 10))) for _ in range(20000)]
def text(n_bytes, rng):
    paras, size = [], 0
    while size < n_bytes:
        words = [rng.choice(vocab) for _ in range(rng.randint(40, 120))]
        words[0] = words[0].capitalize()
        p = ' '.join(words) + '.'
        paras.append(p); size += len(p) + 2
    return paras
a = text(1 << 20, rng)
b = []
for p in a:
    ws = p.split(' ')
    for i in range(len(ws)):
        if rng.random() < 0.01:
            ws[i] = rng.choice(vocab)
    b.append(' '.join(ws))
open(f'{out}/big-a.txt', 'w').write('\n\n'.join(a) + '\n')
open(f'{out}/big-b.txt', 'w').write('\n\n'.join(b) + '\n')
rng2 = random.Random(99)
vocab2 = [w.upper() for w in vocab]
open(f'{out}/small-a.txt', 'w').write('\n\n'.join(text(100 * 1024, rng)) + '\n')
vocab = vocab2
open(f'{out}/small-b.txt', 'w').write('\n\n'.join(text(100 * 1024, rng2)) + '\n')
PY
time_runs() { # label command...
  local label=$1; shift
  local best=999999
  for _ in $(seq "$runs"); do
    local t0 t1 ms
    t0=$(date +%s%N); "$@" > /dev/null 2>&1 || true; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    (( ms < best )) && best=$ms
  done
  printf '%-58s best of %s: %6d ms\n' "$label" "$runs" "$best"
}
for pair in big small; do
  a=$work/$pair-a.txt b=$work/$pair-b.txt
  echo "== $pair: $(wc -c < "$a") and $(wc -c < "$b") bytes"
  time_runs "stet diff --format unified" "$stet" --store "$work/s" diff --format unified "$a" "$b"
  time_runs "stet diff --format json" "$stet" --store "$work/s" diff --format json "$a" "$b"
  time_runs "git diff --no-index --word-diff" git diff --no-index --word-diff "$a" "$b"
done
"$stet" --store "$work/s" diff --format json "$work/big-a.txt" "$work/big-b.txt" | python3 -c '
import json, sys
d = json.load(sys.stdin)
diff = d.get("diff", d)
print("big pair:", len(diff.get("edits", [])), "edits; coarse:", diff.get("coarse"))'
