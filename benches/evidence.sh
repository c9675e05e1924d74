#!/usr/bin/env bash
# Cost per snapshot of signing (ed25519, one more atomic file) and of
# timestamping (one RFC 3161 round trip to a LOCAL authority: `openssl ts
# -reply` behind a small HTTP server on 127.0.0.1). Usage:
#   benches/evidence.sh [PAGES]   (default 100; each run stores PAGES new snapshots)
# Builds the release binary; works in a temporary directory it removes.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-100}
cargo build --release --quiet
stet=$PWD/target/release/stet
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"

cat > tsa.cnf <<'CNF'
[ tsa ]
default_tsa = tsa1
[ tsa1 ]
dir = .
serial = $dir/serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
[ tsa_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
CNF
echo 01 > serial
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -days 2 -subj /CN=bench-ca -config tsa.cnf -extensions ca_ext 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tsa.key -out tsa.csr \
  -subj /CN=bench-tsa 2>/dev/null
openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out tsa.pem -days 2 \
  -extfile tsa.cnf -extensions tsa_ext 2>/dev/null

python3 - > port <<'PY' &
import http.server, subprocess, tempfile, threading
lock = threading.Lock()  # openssl ts -reply updates one serial file
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        q = self.rfile.read(int(self.headers['Content-Length']))
        with lock, tempfile.TemporaryDirectory() as d:
            open(f'{d}/q', 'wb').write(q)
            subprocess.run(['openssl', 'ts', '-reply', '-config', 'tsa.cnf', '-queryfile', f'{d}/q',
                            '-signer', 'tsa.pem', '-inkey', 'tsa.key', '-out', f'{d}/r'],
                           stderr=subprocess.DEVNULL, check=True)
            r = open(f'{d}/r', 'rb').read()
        self.send_response(200)
        self.send_header('Content-Type', 'application/timestamp-reply')
        self.send_header('Content-Length', str(len(r)))
        self.end_headers()
        self.wfile.write(r)
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
server=$!
while [ ! -s port ]; do sleep 0.1; done
tsa="http://127.0.0.1:$(cat port)/"

"$stet" keygen --out key | tail -n 1 > allowed_signers
page=$(cat "$OLDPWD/fixtures/article-v1.html")
run() { # NAME ARGS...: PAGES new snapshots into a fresh store; prints ms per snapshot
  local name=$1; shift
  rm -rf pages store; mkdir pages
  for i in $(seq "$pages"); do printf '%s<!-- %s -->' "$page" "$i" > "pages/p$i.html"; done
  sync
  local t0 t1
  t0=$(date +%s%N)
  "$stet" --store store --quiet snapshot pages/*.html "$@"
  t1=$(date +%s%N)
  echo "$name: $(( (t1 - t0) / pages / 1000 )) us per snapshot ($pages snapshots, 16 at once)"
}
for round in 1 2 3; do
  run plain
  run signed --key key
  run "signed+timestamped" --key key --tsa "$tsa"
done
# The last store: every snapshot signed and timestamped, as verify counts.
"$stet" --store store verify --allowed-signers allowed_signers --tsa-ca ca.pem | tail -n 1
