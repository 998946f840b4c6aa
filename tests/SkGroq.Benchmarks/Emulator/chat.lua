-- wrk script: short non-streaming chat completions against the Groq emulator.
-- Usage: wrk -t2 -c64 -d30s -s chat.lua http://127.0.0.1:8765/openai/v1/chat/completions
-- The key is the emulator's default (printed at start); override with KEY=... in the environment.
local key = os.getenv("KEY") or "gsk_emulator0000000000000000000000000000000000000000000000"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.body = '{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Say hello in one sentence."}],"max_tokens":16}'

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("requests: %d, non-2xx/3xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
