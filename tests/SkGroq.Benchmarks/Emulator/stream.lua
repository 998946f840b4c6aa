-- wrk script: paced streaming chat completions (stream: true) against the Groq emulator.
-- Usage: wrk -t2 -c500 -d30s --timeout 10s -s stream.lua http://127.0.0.1:8765/openai/v1/chat/completions
-- Each request reads the whole SSE answer ([DONE] included); latency = time to the end of the stream.
local key = os.getenv("KEY") or "gsk_emulator0000000000000000000000000000000000000000000000"
local max_tokens = os.getenv("MAX_TOKENS") or "100"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.body = '{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Tell me about rate limits."}],"max_tokens":' .. max_tokens .. ',"stream":true,"stream_options":{"include_usage":true}}'

function done(summary, latency, requests)
  io.write(string.format("streams: %d, non-2xx/3xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("stream latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
