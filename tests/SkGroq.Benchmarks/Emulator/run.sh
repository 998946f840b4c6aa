#!/usr/bin/env bash
# Emulator throughput: builds the emulator in Release, starts it standalone, and loads it with wrk (Debian: apt-get install wrk).
#   tests/SkGroq.Benchmarks/Emulator/run.sh            # both scenarios
#   DURATION=60s tests/SkGroq.Benchmarks/Emulator/run.sh
# Scenario 1: short non-streaming requests, no pacing, rate limits enforced (huge overrides), every request different.
# Scenario 2: 500 (and 1000) concurrent paced streams at the default pacing (100 ms to first token, 500 tokens/s).
set -euo pipefail
cd "$(dirname "$0")/../../.."
DURATION="${DURATION:-30s}"
PORT="${PORT:-8765}"
URL="http://127.0.0.1:${PORT}/openai/v1/chat/completions"
SCRIPTS="tests/SkGroq.Benchmarks/Emulator"
dotnet build src/SkGroq.Emulator -c Release -v quiet -nologo > /dev/null
DLL="src/SkGroq.Emulator/bin/Release/net10.0/SkGroq.Emulator.dll"

run_emulator() {
  dotnet "$DLL" --port "$PORT" "$@" > /dev/null &
  EMULATOR_PID=$!
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:${PORT}/_emulator/health" > /dev/null && return 0; sleep 0.2; done
  echo "emulator did not start" >&2; exit 1
}

stop_emulator() { kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2> /dev/null || true; }

stats() { curl -s "http://127.0.0.1:${PORT}/_emulator/stats"; }

echo "== Scenario 1: short non-streaming requests (no pacing, limits enforced) =="
run_emulator --ttft-ms 0 --tokens-per-second 0 --limits "llama-3.1-8b-instant:rpm=1000000000,rpd=1000000000,tpm=1000000000000,tpd=1000000000000"
wrk -t2 -c64 -d5s -s "$SCRIPTS/chat-varied.lua" "$URL" > /dev/null  # warm-up
before=$(stats)
wrk -t2 -c64 -d"$DURATION" -s "$SCRIPTS/chat-varied.lua" "$URL"
after=$(stats)
python3 - "$before" "$after" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"allocated per request: {(b['allocated_bytes'] - a['allocated_bytes']) / (b['requests_received'] - a['requests_received']):.0f} B, "
      f"gen0 GCs: {b['gen0_collections'] - a['gen0_collections']}, gen2 GCs: {b['gen2_collections'] - a['gen2_collections']}, working set {b['working_set_bytes'] / 1e6:.0f} MB")
PY
stop_emulator

echo "== Scenario 2: concurrent paced streams (100 ms TTFT, 500 tokens/s) =="
run_emulator --no-rate-limits
wrk -t2 -c500 -d5s --timeout 10s -s "$SCRIPTS/stream.lua" "$URL" > /dev/null  # warm-up
curl -s -o /dev/null -w "one stream alone (the pacing floor): %{time_total}s\n" -H "Authorization: Bearer gsk_emulator0000000000000000000000000000000000000000000000" \
  -d '{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Tell me about rate limits."}],"max_tokens":100,"stream":true,"stream_options":{"include_usage":true}}' "$URL"
for connections in 500 1000; do
  wrk -t2 -c"$connections" -d"$DURATION" --timeout 10s -s "$SCRIPTS/stream.lua" "$URL"
done
stop_emulator
