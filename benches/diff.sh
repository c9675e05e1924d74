#!/usr/bin/env bash
# Whole-process word diff: `stet diff` vs `git diff --no-index --word-diff`
# on (1) two 1 MB article texts with 1% of the words changed, (2) two
# 100 KB texts that share nothing and (3) two one-line files (start-up).
# Usage: benches/diff.sh [RUNS] [OTHER_STET] (default 21 rounds). With
# OTHER_STET (another build, e.g. main's), its commands run in the same
# rounds, interleaved, for a before/after comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
other=${2:-}
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
open(f'{out}/tiny-a.txt', 'w').write('The talks were suspended in 2004.\n')
open(f'{out}/tiny-b.txt', 'w').write('The talks were suspended in 2005.\n')
PY
# Runs every command of a case in turn, RUNS rounds (so drift on a busy
# machine hits them all alike); prints the best and the median wall time.
compare() { # case-name a b
  python3 - "$runs" "$stet" "$2" "$3" "$work/s" "$other" <<'PY'
import os, subprocess, sys, time
runs, stet, a, b, store, other = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
cmds = {}
for name, exe in [("stet", stet), ("other", other)]:
    if exe:
        cmds[f"{name} diff --format text (word diff, plain)"] = [exe, "--store", store, "diff", "--format", "text", a, b]
        cmds[f"{name} diff --format unified"] = [exe, "--store", store, "diff", "--format", "unified", a, b]
        cmds[f"{name} diff --format json"] = [exe, "--store", store, "diff", "--format", "json", a, b]
cmds["git diff --no-index --word-diff"] = ["git", "diff", "--no-index", "--word-diff", a, b]
times = {k: [] for k in cmds}
for _ in range(runs):
    for label, cmd in cmds.items():
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, NO_COLOR="1"))
        times[label].append((time.perf_counter() - t) * 1000)
for label, ts in times.items():
    ts.sort()
    print(f"{label:44} best {ts[0]:6.2f} ms   median {ts[len(ts) // 2]:6.2f} ms")
PY
}
for pair in big small tiny; do
  a=$work/$pair-a.txt b=$work/$pair-b.txt
  echo "== $pair: $(wc -c < "$a") and $(wc -c < "$b") bytes, $runs rounds"
  compare "$pair" "$a" "$b"
done
"$stet" --store "$work/s" diff --format json "$work/big-a.txt" "$work/big-b.txt" | python3 -c '
import json, sys
d = json.load(sys.stdin)
diff = d.get("diff", d)
print("big pair:", len(diff.get("edits", [])), "edits; coarse:", diff.get("coarse"))'
