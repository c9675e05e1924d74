#!/usr/bin/env bash
# Checks that two builds of stet give byte-identical output (stdout, stderr,
# exit code) for the commands other than `diff` of files: snapshot, log, show,
# pin, verify, extract, and audit in every format, on stores built the same
# way by each (fixed STET_NOW), from the fixtures. No network.
# Usage: benches/same-commands.sh OLD_STET NEW_STET   (exit 1 if any differ)
set -u
old=$(realpath "$1") new=$(realpath "$2")
repo=$(cd "$(dirname "$0")/.." && pwd)
w=$(mktemp -d)
for side in old new; do
  bin=${!side}
  d=$w/run; rm -rf $d; mkdir -p $d/out; cd $repo
  n=0
  run() { n=$((n+1)); ( "$@" ) > $d/out/$(printf %03d $n).out 2>$d/out/$(printf %03d $n).err; echo "rc=$? :: ${*:2}" >> $d/out/$(printf %03d $n).out; }
  export STET_STORE=$d/store NO_COLOR=1
  url="https://www.rightsmonitor.example/2011/04/27/us-china-human-rights-dialogue-soft-power-gone-hard/"
  export STET_NOW=2026-11-01T06:00:00Z
  run $bin snapshot --as "$url" fixtures/article-v1.html
  export STET_NOW=2026-11-08T06:00:00Z
  run $bin snapshot --format json --as "$url" fixtures/article-v2-boilerplate.html
  export STET_NOW=2026-11-15T06:00:00Z
  run $bin snapshot --as "$url" fixtures/article-v3-edited.html
  export STET_NOW=2026-11-01T06:00:00Z
  run $bin snapshot fixtures/article-v1.html fixtures/article-v4-no-caption.html nonexistent.html
  run $bin snapshot --format json fixtures/article-v1.html "http://[bad" 
  run $bin snapshot --offline https://example.org/x fixtures/article-v5-links-changed.html
  export STET_NOW=2026-11-20T06:00:00Z
  cp fixtures/article-v1.html $d/moving.html
  run $bin snapshot $d/moving.html
  cp fixtures/article-v3-edited.html $d/moving.html
  export STET_NOW=2026-11-21T06:00:00Z
  for f in text json html junit github markdown; do
    run $bin audit --offline --format $f "$url" fixtures/article-v1.html fixtures/article-v4-no-caption.html https://unknown.example/
    run $bin audit --offline --strict --fail-on all --format $f "$url"
    run $bin audit --no-links --format $f $d/moving.html
  done
  cp fixtures/article-v5-links-changed.html $d/moving.html
  run $bin audit --no-links --format json $d/moving.html
  run $bin audit -q --offline fixtures/article-v1.html
  run $bin audit --offline --format unified "$url"
  for f in text json; do
    run $bin log --format $f "$url"
    run $bin log --format $f fixtures/article-v1.html
    run $bin show --format $f "$url@latest"
    run $bin show --text --format $f "$url@1"
    run $bin verify --format $f
    run $bin extract --format $f fixtures/article-v3-edited.html
    run $bin pin --format $f "$url" "$url@1"
  done
  run $bin verify --reextract
  run $bin pin -q "$url"
  run $bin log https://nothing.example/
  run $bin show deadbeef
  run $bin log --format html "$url"
  for f in text json unified html; do
    run $bin diff --format $f fixtures/article-v1.html fixtures/article-v3-edited.html
    run $bin diff --strict --format $f "$url@1" "$url@latest"
    run $bin diff -q --format $f fixtures/article-v1.html fixtures/article-v1.html
  done
  run $bin diff --format junit a b
  run $bin links --offline fixtures/article-v1.html
  mv $d/out $w/$side
done
if diff -r $w/old $w/new; then echo "$n cases, 0 differ"; rc=0; else echo "some cases differ"; rc=1; fi
rm -rf $w
exit $rc
