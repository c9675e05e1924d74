#!/usr/bin/env bash
# Fuzz stet's parsers with cargo-fuzz (libFuzzer): each target of
# benches/fuzz/ runs for SECONDS, one after another, from a seed corpus built
# in a scratch directory (fixtures/, and pages of ../shared/corpus when it is
# there; nothing is committed). Prints executions and crashes per target.
#
# Usage: benches/fuzz.sh [SECONDS] [TARGET...]   (default: 120, all targets)
# Env:   FUZZ_SANITIZER  none (default) or address
#        FUZZ_WORK       keep corpora and crash artifacts there (default: a
#                        temporary directory, removed unless a target crashed)
#        STET_CORPUS     pages to seed from (default: ../shared/corpus)
#        FUZZ_ARGS       more libFuzzer flags, e.g. "-max_len=8192"
#
# Stable Rust: cargo-fuzz needs nightly-only flags (-Z sanitizer, -Cpasses),
# which RUSTC_BOOTSTRAP=1 unlocks on a stable toolchain. Needs
# `cargo install cargo-fuzz --locked`. Not part of .ci/run (too long).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(extract decode spec config diff)
sanitizer=${FUZZ_SANITIZER:-none}
corpus_src=${STET_CORPUS:-../shared/corpus}
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
  exit 2
fi

keep=${FUZZ_WORK:+yes}
work=${FUZZ_WORK:-$(mktemp -d)}
mkdir -p "$work"
seeds=$work/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{extract,decode,spec,config,diff}

# --- seed corpora -----------------------------------------------------------
# extract: header byte 0x01 = text/html, 0x00 = no content type (see
# benches/fuzz/fuzz_targets/common.rs), then the page.
n=0
add_page() { # FILE NAME
  { printf '\001'; cat "$1"; } >"$seeds/extract/$2"
  n=$((n + 1))
}
for f in fixtures/*.html; do add_page "$f" "fixture-$(basename "$f")"; done
for f in fixtures/charset/*.html; do
  { printf '\000'; cat "$f"; } >"$seeds/extract/charset-$(basename "$f")"
  { printf '\000'; cat "$f"; } >"$seeds/decode/$(basename "$f")"
  { printf '\002'; cat "$f"; } >"$seeds/decode/utf8-header-$(basename "$f")"
done
if [ -d "$corpus_src/article-extraction-benchmark/html" ]; then
  for f in $(ls "$corpus_src"/article-extraction-benchmark/html/*.html.gz | head -40); do
    name=aeb-$(basename "$f" .html.gz | cut -c1-12)
    gunzip -c "$f" >"$work/page.html"
    add_page "$work/page.html" "$name"
  done
fi
if [ -d "$corpus_src/readability/test/test-pages" ]; then
  for d in $(ls -d "$corpus_src"/readability/test/test-pages/*/ | head -30); do
    add_page "$d/source.html" "readability-$(basename "$d")"
  done
fi
rm -f "$work/page.html"

# spec: version specs and targets.
i=0
for s in 3f9a1c 3F9A1C0B 'https://example.org/a@latest' 'https://example.org/a@ref' \
  'fixtures/article-v1.html@-2' 'a@1' '@latest' 'HTTP://Example.ORG:80/a/./b/../c?q=1#frag' \
  'file:///tmp/x.html' 'file://host/x' '../../etc/passwd' 'C:\\x' 'mailto:a@b' \
  'https://[::1]:8080/%2e%2e/x' 'https://xn--nxasmq6b.example/é' "$(printf 'a\tb')"; do
  printf '%s' "$s" >"$seeds/spec/$i"
  i=$((i + 1))
done

# config: the repository's stet.toml and a few shapes.
cp stet.toml "$seeds/config/stet.toml"
printf '[defaults]\ntimeout = 5\nmax_body = 1000\n\n[[target]]\nurl = "https://example.org/a"\nname = "a"\nignore = ["nav", "/[0-9]+ views/"]\nlinks = false\n' >"$seeds/config/one"
printf '[[target]]\npath = "fixtures/article-v1.html"\nfail_on = ["edits"]\ntags = ["x"]\n[[target]]\nurl = "http://b.example/"\n' >"$seeds/config/two"
printf '[links]\nconcurrency = 4\nexclude = ["^https://x"]\n[defaults]\ntimout = 3\n' >"$seeds/config/typo"

# diff: header byte, old text, 0xFF, new text (fixture pages without tags).
python3 - "$seeds/diff" fixtures/article-v1.html fixtures/article-v3-edited.html \
  fixtures/article-v4-no-caption.html fixtures/article-v5-links-changed.html <<'PY'
import html, re, sys
out, paths = sys.argv[1], sys.argv[2:]
def text(p):
    s = open(p, encoding="utf-8", errors="replace").read()
    s = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", s)
    s = re.sub(r"(?i)</?(p|h[1-6]|li|blockquote|figcaption|div|article)\b[^>]*>", "\n", s)
    return html.unescape(re.sub(r"<[^>]+>", " ", s)).encode()
texts = [text(p) for p in paths]
for i, a in enumerate(texts):
    for j, b in enumerate(texts):
        if i != j:
            for head in (0, 1, 2):
                open(f"{out}/{i}-{j}-{head}", "wb").write(bytes([head]) + a + b"\xff" + b)
PY

echo "seeds: $n pages for extract; $(ls "$seeds/decode" | wc -l) decode, $(ls "$seeds/spec" | wc -l) spec, $(ls "$seeds/config" | wc -l) config, $(ls "$seeds/diff" | wc -l) diff"

# --- build once, then run each target ---------------------------------------
if ! cargo fuzz build --fuzz-dir benches/fuzz -s "$sanitizer" >"$work/build.log" 2>&1; then
  tail -30 "$work/build.log" >&2
  echo "cargo fuzz build failed" >&2
  exit 2
fi

printf '\n%-8s %8s %12s %10s %8s  %s\n' target seconds executions exec/s crashes artifacts
total_crashes=0
for t in "${targets[@]}"; do
  rm -rf "$work/artifacts/$t"
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  log=$work/$t.log
  started=$(date +%s)
  # -timeout: one input taking 10 s is a finding; -rss_limit_mb: 2 GiB.
  cargo fuzz run --fuzz-dir benches/fuzz -s "$sanitizer" "$t" \
    "$work/corpus/$t" "$seeds/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t/" ${FUZZ_ARGS:-} >"$log" 2>&1 || true
  took=$(($(date +%s) - started))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  crashes=$(find "$work/artifacts/$t" -type f | wc -l)
  total_crashes=$((total_crashes + crashes))
  printf '%-8s %8s %12s %10s %8s  %s\n' "$t" "$took" "${execs:-?}" "${rate:-?}" "$crashes" \
    "$([ "$crashes" -gt 0 ] && echo "$work/artifacts/$t" || echo -)"
  if [ -z "$execs" ]; then
    echo "  $t did not finish its run; the end of $log:" >&2
    tail -20 "$log" >&2
  fi
done

if [ "$total_crashes" -eq 0 ] && [ -z "$keep" ]; then
  rm -rf "$work"
else
  echo "corpora, logs and artifacts: $work"
fi
[ "$total_crashes" -eq 0 ]
