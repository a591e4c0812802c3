#!/usr/bin/env bash
# Memory of crowdfeed serve under hostile bodies: 32 concurrent 1 MiB bodies
# nested half a million levels deep, then 250 connections each announcing a
# 1 MiB body without a token and holding it. Prints the server's peak and
# current resident memory (VmHWM, VmRSS). Not a test: figures, no verdict.
#
#   tests/bench/serve_memory_bench.sh [BUILD_DIR]
set -euo pipefail
build=$(realpath "${1:-build}")
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-serve-memory.XXXXXX")
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[paths]\ndatabase = "votes.db"\nstate_dir = "state"\n[serve]\nlisten = "127.0.0.1:%s"\naddress_rate = 100000\naddress_burst = 100000\nconnections_per_address = 1000\n' "$port" >crowdfeed.toml
export CROWDFEED_CONFIG=$work/crowdfeed.toml
token=$("$build/crowdfeed" -q voters add memory)
"$build/crowdfeed" serve >server.log 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
python3 - "$port" "$token" <<'PY'
import socket, sys, threading, time
port, token = int(sys.argv[1]), sys.argv[2]
body = ("[" * (1 << 19) + "]" * (1 << 19)).encode()
def send():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"POST /api/v1/votes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
              f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    s.recv(1000)
threads = [threading.Thread(target=send) for _ in range(32)]
[t.start() for t in threads]
[t.join() for t in threads]
held = []
for _ in range(250):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /api/v1/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1048576\r\n\r\n" + b" " * 60000)
    held.append(s)
time.sleep(1)
PY
grep -E "VmHWM|VmRSS" "/proc/$server/status"
