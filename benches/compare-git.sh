#!/bin/sh
# Whole-process comparison: stet's word diff (examples/worddiff) against
# `git diff --no-index --word-diff` on the benchmark texts of benches/diff.rs.
# Usage: benches/compare-git.sh   (from the crate root; builds in release)
set -eu
dir=${CARGO_TARGET_DIR:-target}/bench-texts
cargo bench --bench diff -- --write "$dir"
cargo build --release --example worddiff
bin=${CARGO_TARGET_DIR:-target}/release/examples/worddiff
best() { # best wall time in ms of 5 runs of "$@"
    b=999999
    for _ in 1 2 3 4 5; do
        s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
        t=$(( (e - s) / 1000000 )); [ "$t" -lt "$b" ] && b=$t
    done
    echo "$b"
}
for case in 1MB-1pct-words-changed 100KB-share-nothing; do
    old=$dir/$case.old.txt new=$dir/$case.new.txt
    s=$(best "$bin" "$old" "$new")
    g=$(best git diff --no-index --word-diff "$old" "$new")
    echo "$case: stet (whole process) ${s} ms, git diff --no-index --word-diff ${g} ms"
done
