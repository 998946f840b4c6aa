-- wrk script: short non-streaming chat completions, each with a different user message (different answers, no warm
-- per-request caches), against the Groq emulator.
-- Usage: wrk -t2 -c64 -d30s -s chat-varied.lua http://127.0.0.1:8765/openai/v1/chat/completions
local key = os.getenv("KEY") or "gsk_emulator0000000000000000000000000000000000000000000000"
local counter = 0
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }

function request()
  counter = counter + 1
  local body = '{"model":"llama-3.1-8b-instant","messages":[{"role":"system","content":"You are a helpful assistant."},' ..
    '{"role":"user","content":"Question number ' .. counter .. ': how do token buckets refill?"}],"max_tokens":32}'
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  io.write(string.format("requests: %d, non-2xx/3xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
