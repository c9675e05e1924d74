#!/usr/bin/env bash
# Rendered snapshots: `stet snapshot --render` of N script-built article
# pages served on 127.0.0.1, at 1 and 4 tabs at once, and the browser's
# peak memory: the summed PSS (proportional set size: shared pages split
# between the processes sharing them, so the sum is the real total) of
# Chromium and all its child processes, sampled every 50 ms.
# Usage: benches/render.sh [PAGES] [BINARY]
#   PAGES  default 40
#   BINARY default target/release/stet (built when missing); give
#          target/debug/stet to skip the release build: the browser, not
#          stet, is the cost being measured.
# Needs chromium (or STET_CHROMIUM) and python3. Works in a temporary
# directory it removes.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-40}
stet=${2:-target/release/stet}
if [ "$stet" = target/release/stet ] && [ ! -x "$stet" ]; then cargo build --release --quiet; fi
stet=$(realpath "$stet")
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server"; rm -rf "$work"' EXIT

mkdir "$work/site"
for i in $(seq 1 "$pages"); do
  cat >"$work/site/a$i.html" <<EOF
<!DOCTYPE html><html><head><title>Article $i</title></head><body>
<article id="a"><h1>Article $i</h1></article>
<script>
setTimeout(function () {
  var a = document.getElementById('a');
  for (var k = 1; k <= 12; k++) {
    var p = document.createElement('p');
    p.textContent = 'Paragraph ' + k + ' of article $i, written into the page by a script after it loaded, as many news sites do.';
    a.appendChild(p);
  }
}, 50);
</script></body></html>
EOF
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
sleep 1
urls=()
for i in $(seq 1 "$pages"); do urls+=("http://127.0.0.1:$port/a$i.html"); done

# Peak summed PSS (KiB) of the chromium processes whose ancestor is PID.
peak_rss() { # PID OUTFILE
  python3 - "$1" "$2" <<'PY'
import os, sys, time
root, out = int(sys.argv[1]), sys.argv[2]
def tree():
    kids = {}
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                ppid = int(open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(p))
            except OSError:
                pass
    seen, todo = [], [root]
    while todo:
        p = todo.pop()
        for c in kids.get(p, []):
            seen.append(c); todo.append(c)
    return seen
peak = 0
while os.path.exists(f'/proc/{root}'):
    total = 0
    for p in tree():
        try:
            if 'chrom' not in open(f'/proc/{p}/comm').read():
                continue
            for line in open(f'/proc/{p}/smaps_rollup'):
                if line.startswith('Pss:'):
                    total += int(line.split()[1])
        except OSError:
            pass
    peak = max(peak, total)
    time.sleep(0.05)
open(out, 'w').write(str(peak))
PY
}

printf '%-6s %8s %10s %12s\n' tabs pages seconds pages/s
for tabs in 1 4; do
  rm -rf "$work/store"
  printf '[defaults]\nrender = true\nrender_concurrency = %s\nignore_robots = true\n' "$tabs" >"$work/stet.toml"
  start=$(date +%s.%N)
  (cd "$work" && exec "$stet" --store store --quiet snapshot -j "$tabs" "${urls[@]}") &
  pid=$!
  peak_rss "$pid" "$work/rss" &
  sampler=$!
  wait "$pid"
  end=$(date +%s.%N)
  wait "$sampler"
  secs=$(echo "$end - $start" | bc -l)
  printf '%-6s %8s %10.2f %12.2f   browser peak PSS %s MiB\n' "$tabs" "$pages" "$secs" \
    "$(echo "$pages / $secs" | bc -l)" "$(( $(cat "$work/rss") / 1024 ))"
done
