-- TryReserve / Peek (ModelQuota.TryReserve, ModelQuota.Evaluate): checks RPM, RPD, TPM, TPD and any pause at once and,
-- when all admit, reserves one request and the tokens.
-- KEYS: state hash, in-flight set.
-- ARGV: 1 time override ("" = TIME), 2 "1" to peek, 3 tokens, 4 minimum tokens, 5..8 configured RPM RPD TPM TPD (0 = none),
--       9 reservation lifetime (us), 10 key expiry (ms), 11 "1" for an overdraft (QuotaRequest.Overdraft: only a pause holds it).
-- Reply: { kind, a, b, c, d, limit1..4, used1..4 }
--   kind 0 admitted: a = reservation id, b = tokens reserved
--   kind 1 must wait: a = binding limit (GroqLimitKind), b = its value (0 = unknown), c = requested, d = wait (us)
--   kind 2 never fits: a = limit, b = its value, c = requested
local now = clock(ARGV[1])
local peek = ARGV[2] == '1'
local tokens, minimum = tonumber(ARGV[3]), tonumber(ARGV[4])
local s = load(KEYS[1])
local configured_changed = false
for i = 1, 4 do
  local value = tonumber(ARGV[4 + i])
  if s['c' .. i] ~= value then
    s['c' .. i], configured_changed = value, true
  end
end

advance(s, now)
apply_limits(s)

-- A peek writes only the configured limits it brought (ModelQuota keeps them too); the refill is a function of time.
local function persist()
  if not peek or configured_changed then
    save(KEYS[1], s)
    expire(s, now, tonumber(ARGV[10]))
  end
end

-- Reservations never settled (their process died) stop counting as in flight; their tokens stay counted.
-- Only the oldest is looked at (usually young), at most ten dropped per call.
if not peek and s.ifc > 0 then
  local lifetime = tonumber(ARGV[9])
  for _ = 1, 10 do
    local member = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
    if not member then
      break
    end
    local _, reserved, at = parse_reservation(member)
    if at + lifetime > now then
      break
    end
    redis.call('ZREM', KEYS[2], member)
    s.ifc, s.ift, s.exp = s.ifc - 1, s.ift - reserved, s.exp + reserved
  end
end

local function reply(kind, a, b, c, d)
  local result = { kind, a, b, c, d }
  for i = 1, 4 do
    result[5 + i] = s.b[i].l
    result[9 + i] = used(s.b[i])
  end
  return result
end

-- A request larger than a token limit can never be admitted; a guessed completion part is lowered to the limit instead.
local cap, cap_kind = -1, 0
if s.b[3].l > 0 then
  cap, cap_kind = s.b[3].l, 3
end
if s.b[4].l > 0 and (cap < 0 or s.b[4].l < cap) then
  cap, cap_kind = s.b[4].l, 4
end
if cap >= 0 and minimum > cap then
  persist()
  return reply(2, cap_kind, cap, minimum, 0)
end
if cap >= 0 and tokens > cap then
  tokens = cap
end

-- The binding limit is the one with the longest wait; ties go to the first in this order (as in ModelQuota).
local wait, kind, value, requested = 0, 0, 0, 0
local function consider(ticks, k, v, amount)
  if ticks > wait then
    wait, kind, value, requested = ticks, k, v, amount
  end
end
if ARGV[11] ~= '1' then
  consider(until_fits(s.b[1], 1, s.t), 1, s.b[1].l, 1)
  consider(until_fits(s.b[3], tokens, s.t), 3, s.b[3].l, tokens)
  consider(until_fits(s.b[2], 1, s.t), 2, s.b[2].l, 1)
  consider(until_fits(s.b[4], tokens, s.t), 4, s.b[4].l, tokens)
end
if s.pu > now then
  local pk = s.pk
  local limit = (pk >= 1 and pk <= 4) and s.b[pk].l or 0
  consider(s.pu - now, pk, limit, (pk == 1 or pk == 2) and 1 or tokens)
end

if peek then
  persist()
  if wait == 0 then
    return reply(0, 0, tokens, tokens, 0)
  end
  return reply(1, kind, value, requested, math.min(wait, EXACT))
end

if wait == 0 then
  add(s.b[1], 1)
  add(s.b[2], 1)
  add(s.b[3], tokens)
  add(s.b[4], tokens)
  s.id = s.id + 1
  s.ifc, s.ift, s.rsv = s.ifc + 1, s.ift + tokens, s.rsv + tokens
  redis.call('ZADD', KEYS[2], s.id, int(s.id) .. ':' .. int(tokens) .. ':' .. int(now))
end
persist()
if wait == 0 then
  return reply(0, s.id, tokens, tokens, 0)
end
return reply(1, kind, value, requested, math.min(wait, EXACT))
