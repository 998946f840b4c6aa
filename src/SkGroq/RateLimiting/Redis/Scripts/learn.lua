-- Learn (ModelQuota.Learn): limits and the server's usage from one of Groq's answers, counting in the reservations
-- admitted after the answered one (the server has not seen them yet) when the server counts more than we do. Usage is only
-- ever raised.
-- KEYS: state hash, in-flight set.
-- ARGV: 1 time override, 2 id of the answered reservation, 3 "1" when the answer had rate-limit headers,
--       4..6 limit, remaining, reset (ticks) of requests (RPD); 7..9 the same of tokens (TPM) ("" = absent),
--       10 limit named by a 429 body (GroqLimitKind, 0 = none), 11 its Limit, 12 its Used ("" = absent),
--       13 key expiry (ms), 14 channel, 15 message (published when a limit rose).
-- Reply: 1 when a limit rose.
local now = clock(ARGV[1])
local s = load(KEYS[1])
advance(s, now)
local before = {}
for i = 1, 4 do
  before[i] = s.b[i].l
end
local unseen_requests, unseen_tokens = in_flight_after(tonumber(ARGV[2]))

-- limit - remaining, else from reset = used / limit x window truncated to ns (a full bucket says 1ms): nearest unit.
local function server_used(i, remaining, reset)
  local b = s.b[i]
  if b.l <= 0 then
    return nil
  end
  if remaining then
    return math.max(0, b.l - remaining)
  end
  if reset and reset > 0 then
    local q, r = muldivmod(reset, b.l, WINDOW_TICKS[i])
    if r >= WINDOW_TICKS[i] / 2 then
      q = q + 1
    end
    return math.min(q, b.l)
  end
  return nil
end

if ARGV[3] == '1' then
  -- *-requests are requests per DAY and *-tokens tokens per MINUTE, whatever the names suggest.
  local limit_requests, limit_tokens = tonumber(ARGV[4]), tonumber(ARGV[7])
  if limit_requests and limit_requests > 0 then
    s.n2 = limit_requests
  end
  if limit_tokens and limit_tokens > 0 then
    s.n3 = limit_tokens
  end
  apply_limits(s)
  -- A server figure at or below ours is explained by our own traffic and changes nothing; only a higher one means someone
  -- else uses the quota: then ours is raised to the server's plus the reservations it has not seen yet.
  local requests = server_used(2, tonumber(ARGV[5]), tonumber(ARGV[6]))
  if requests and requests > used(s.b[2]) then
    raise(s.b[2], requests + unseen_requests)
  end
  local tokens = server_used(3, tonumber(ARGV[8]), tonumber(ARGV[9]))
  if tokens and tokens > used(s.b[3]) then
    raise(s.b[3], tokens + unseen_tokens)
  end
end

local body_kind = tonumber(ARGV[10])
if body_kind ~= 0 then
  local value, body_used = tonumber(ARGV[11]), tonumber(ARGV[12])
  if body_kind >= 1 and body_kind <= 4 and value and value > 0 then
    s['n' .. body_kind] = value
  end
  apply_limits(s)
  -- "Used" excludes the rejected request, which the caller released before reporting.
  if body_used and body_kind >= 1 and body_kind <= 4 then
    local unseen = (body_kind == 1 or body_kind == 2) and unseen_requests or unseen_tokens
    raise(s.b[body_kind], body_used + unseen)
  end
end

save(KEYS[1], s)
expire(s, now, tonumber(ARGV[13]))
for i = 1, 4 do
  if before[i] > 0 and s.b[i].l > before[i] then
    if ARGV[14] ~= '' then
      redis.call('PUBLISH', ARGV[14], ARGV[15])
    end
    return 1
  end
end
return 0
