# Sourced by benches/unchanged.sh and benches/memory.sh: N distinct 12 KB
# pages (fixtures/article-v1.html with a number in the text) served on
# 127.0.0.1:$port by benches/serve.js, and $work/stet.toml with a
# [[target]] for each. Needs $n, $repo, $stet, $port; sets $work and
# $server (both cleaned up on exit).
[ -x "$stet" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v node >/dev/null || { echo "skipped: node (the page server) not found" >&2; exit 0; }
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/pages"
for ((i = 0; i < n; i++)); do
  sed "s/<\/h1>/ $i<\/h1>/" "$repo/fixtures/article-v1.html" > "$work/pages/p$i.html"
done
node "$repo/benches/serve.js" "$work/pages" "$port" & server=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/p0.html" && break; sleep 0.1; done
for ((i = 0; i < n; i++)); do printf '[[target]]\nurl = "http://127.0.0.1:%s/p%s.html"\n' "$port" "$i"; done > "$work/stet.toml"
