#!/usr/bin/env bash
# Checks that two builds of stet give byte-identical `diff` output, for
# work that must not change what stet says (speed-ups, refactors).
# Usage: benches/same-output.sh OLD_STET NEW_STET [PAIRS]
# The pairs: article texts of ../shared/corpus/article-extraction-benchmark
# (ground truth), each changed three ways as publishers change pages (words
# replaced, paragraphs deleted, inserted, moved, duplicated, sentences cut,
# typographic quotes and dashes), plus the benches/diff.sh texts and the
# fixtures, in every format. Prints the differing cases; exit 1 if any.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 pairs=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$pairs" <<'PY'
import json, os, random, re, sys
out, per = sys.argv[1], int(sys.argv[2])
gt = json.load(open('../shared/corpus/article-extraction-benchmark/ground-truth.json'))
rng = random.Random(11)
os.makedirs(f'{out}/pairs')
n = 0
for k in sorted(gt):
    body = gt[k].get('articleBody') or ''
    if len(body) < 200:
        continue
    paras = [p.strip() for p in re.split(r'\n+', body) if p.strip()]
    if len(paras) < 2:
        paras = re.split(r'(?<=[.!?]) ', body)
    for _ in range(per):
        b = list(paras)
        for _ in range(rng.randint(1, 6)):
            if not b:
                break
            r, i = rng.random(), rng.randrange(len(b))
            ws = b[i].split(' ')
            if r < 0.35:
                j = rng.randrange(len(ws))
                ws[j] = rng.choice(['hundreds', 'not', 'Smith', '2021', '"quoted"', 'the', 'a', ws[j].upper(), ws[j] + ws[j]])
                b[i] = ' '.join(ws)
            elif r < 0.5:
                del b[i]
            elif r < 0.6:
                b.insert(i, 'Correction: an earlier version misstated the figure.')
            elif r < 0.7 and len(b) > 2:
                x = b.pop(i)
                b.insert(rng.randrange(len(b)), x)
            elif r < 0.8:
                j = rng.randrange(len(ws))
                del ws[j:j + rng.randint(1, 8)]
                b[i] = ' '.join(ws)
            elif r < 0.9:
                b[i] = b[i].replace("'", '\u2019').replace(' - ', ' \u2014 ')
            else:
                b.insert(i, b[i])
        n += 1
        open(f'{out}/pairs/{n:04d}-a.txt', 'w').write('\n\n'.join(paras) + '\n')
        open(f'{out}/pairs/{n:04d}-b.txt', 'w').write('\n\n'.join(b) + '\n')
PY
run() { # bin outdir
  mkdir -p "$2"
  for a in "$work"/pairs/*-a.txt; do
    b=${a%-a.txt}-b.txt name=$(basename "${a%-a.txt}")
    { "$1" --store "$work/s" diff --format json "$a" "$b" 2>&1 || echo "exit $?"; } > "$2/$name.json"
  done
  for v in v2-boilerplate v3-edited v4-no-caption v5-links-changed; do
    for f in json text unified html; do
      { "$1" --store "$work/s" diff --format "$f" fixtures/article-v1.html "fixtures/article-$v.html" 2>&1 || echo "exit $?"; } > "$2/fixture-$v.$f"
    done
  done
}
run "$old" "$work/old"
run "$new" "$work/new"
bad=0
for f in "$work"/old/*; do
  if ! cmp -s "$f" "$work/new/$(basename "$f")"; then
    echo "differs: $(basename "$f")"
    bad=$((bad + 1))
  fi
done
echo "$(ls "$work/old" | wc -l) cases, $bad differ"
[ "$bad" -eq 0 ]
