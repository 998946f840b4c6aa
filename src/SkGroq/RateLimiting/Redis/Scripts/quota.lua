-- SkGroq shared quota: the part every quota script starts with (RedisQuotaScripts prepends it).
--
-- The same continuously refilling buckets as SkGroq.Quota.QuotaBucket / ModelQuota, in exact integers. A bucket of limit L
-- refills L per window W; its state is the debt used x W, lowered by L per elapsed microsecond. Lua numbers are doubles
-- (exact below 2^53) and used x W reaches 10^18 for a day, so the debt is kept as q whole units plus a remainder r
-- (debt = q x W + r, 0 <= r < W) and products that may pass 2^53 go through muldivmod. Time is in microseconds (Redis TIME).
--
-- State of one organization and model, in the hash KEYS[1]:
--   t            time of the last refill (us)
--   l1..l4       effective limits (1 RPM, 2 RPD, 3 TPM, 4 TPD - the values of GroqLimitKind); 0 = not limited
--   q1..q4 r1..r4  debts
--   f1..f4       when the debt last reached zero by refilling (us, rounded up; 0 = exactly full or never refilled)
--   x1..x4       1 when the level is inexact on a server (refilled or raised since it was last exactly full); 0 = exact
--   c1..c4       configured limits, from the last request      n1..n4  limits learnt from Groq (win over c)
--   pu pk        paused until (us) and the limit Groq named (a GroqLimitKind value)
--   id           last reservation id                            ifc ift  in-flight reservations and their tokens
--   rsv stl rel exp  tokens reserved, settled (as reserved), released, and dropped as abandoned
-- In-flight reservations, in the sorted set KEYS[2]: score = id, member = "id:tokens:reservedAt".

-- Redis 3.2-4.x replicate a script's effects only when asked (TIME before writes needs it); 5 and later always do.
if redis.replicate_commands then
  redis.replicate_commands()
end

local EXACT = 9007199254740992
-- QuotaBucket.GuardTicks in microseconds: the refill an admission keeps in hand at the exact boundary of a refilled bucket.
local GUARD = __GUARD_US__
-- QuotaBucket's caps on a wait (long.MaxValue - 1 ticks) and on the time to refill the whole limit (long.MaxValue / 2 ticks),
-- in microseconds: waits that long are compared at the same caps, so the binding limit is the same one (replies say 2^53 us).
local LONG_WAIT = __LONG_WAIT_US__
local LONG_FILL = __LONG_FILL_US__
local WINDOW = { __MINUTE_US__, __DAY_US__, __MINUTE_US__, __DAY_US__ }
local WINDOW_TICKS = { __MINUTE_TICKS__, __DAY_TICKS__, __MINUTE_TICKS__, __DAY_TICKS__ }
local DAY_MS = __DAY_US__ / 1000
local FIELDS = { 't', 'l1', 'q1', 'r1', 'f1', 'x1', 'l2', 'q2', 'r2', 'f2', 'x2', 'l3', 'q3', 'r3', 'f3', 'x3',
  'l4', 'q4', 'r4', 'f4', 'x4', 'c1', 'c2', 'c3', 'c4', 'n1', 'n2', 'n3', 'n4', 'pu', 'pk', 'id', 'ifc', 'ift', 'rsv', 'stl', 'rel', 'exp' }

-- Integers to strings (for members and patterns) without Lua's 14-digit '%.14g', which would round times and ids.
local function int(x)
  return string.format('%d', x)
end

-- The server's clock; tests pass a time instead ("" = use TIME).
local function clock(override)
  if override ~= '' then
    return tonumber(override)
  end
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000000 + tonumber(time[2])
end

-- floor(a * b / c) and (a * b) % c, exactly, for integers a, b >= 0 and 0 < c < 2^51.
local function muldivmod(a, b, c)
  local p = a * b
  if p < EXACT then
    -- Exact product below 2^53: the rounded quotient never crosses an integer, so floor is exact.
    local q = math.floor(p / c)
    return q, p - q * c
  end
  local qa = math.floor(a / c)
  local ra = a - qa * c
  -- a x b = qa x b x c + ra x b; ra x b by binary long multiplication, reduced modulo c at every step.
  local bits, n, x = {}, 0, b
  while x > 0 do
    n = n + 1
    bits[n] = x % 2
    x = (x - bits[n]) / 2
  end
  local q, r = 0, 0
  for i = n, 1, -1 do
    q, r = q * 2, r * 2
    if r >= c then
      q, r = q + 1, r - c
    end
    if bits[i] == 1 then
      r = r + ra
      if r >= c then
        q, r = q + 1, r - c
      end
    end
  end
  return qa * b + q, r
end

local function load(key)
  local values = redis.call('HMGET', key, unpack(FIELDS))
  local s = { loaded = {} }
  for i, field in ipairs(FIELDS) do
    local value = tonumber(values[i]) or 0
    s[field], s.loaded[i] = value, value
  end
  s.b = {}
  for i = 1, 4 do
    s.b[i] = { w = WINDOW[i], l = s['l' .. i], q = s['q' .. i], r = s['r' .. i], f = s['f' .. i], x = s['x' .. i] }
  end
  return s
end

-- Writes the fields that changed. Redis turns integral Lua numbers into exact decimal text itself (Lua's own tostring
-- would round past 14 digits), so numbers are passed as they are.
local function save(key, s)
  for i = 1, 4 do
    local b = s.b[i]
    s['l' .. i], s['q' .. i], s['r' .. i], s['f' .. i], s['x' .. i] = b.l, b.q, b.r, b.f, b.x
  end
  local args, n = {}, 0
  for i, field in ipairs(FIELDS) do
    if s[field] ~= s.loaded[i] then
      args[n + 1], args[n + 2], n = field, s[field], n + 2
    end
  end
  if n > 0 then
    redis.call('HSET', key, unpack(args))
  end
end

-- Keys expire a while after the last write (RedisQuotaStore.KeyExpiry; by then every bucket has refilled), later while a pause lasts.
local function expire(s, now, ttl_ms)
  local ttl = ttl_ms
  if s.pu > now then
    ttl = math.max(ttl, math.ceil((s.pu - now) / 1000) + DAY_MS)
  end
  redis.call('PEXPIRE', KEYS[1], ttl)
  if s.ifc > 0 then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
end

-- ceil(debt / L): the microseconds a bucket needs to refill its whole debt.
local function refill_time(b)
  local q, r = muldivmod(b.q, b.w, b.l)
  return q + math.floor((r + b.r + b.l - 1) / b.l)
end

-- QuotaBucket.Advance for all four buckets.
local function advance(s, now)
  if now <= s.t then
    return
  end
  local elapsed = now - s.t
  for i = 1, 4 do
    local b = s.b[i]
    if b.l > 0 and (b.q > 0 or b.r > 0) then
      b.x = 1
      local x, y = muldivmod(b.l, elapsed, b.w)
      if x > b.q or (x == b.q and y >= b.r) then
        -- Full since t + ceil(debt / L), kept rounded up to the microsecond: the guarded wait is then the in-memory one
        -- rounded up (ceil(ceil(10x) / 10) = ceil(x)).
        b.f = s.t + refill_time(b)
        b.q, b.r = 0, 0
      else
        b.q, b.r = b.q - x, b.r - y
        if b.r < 0 then
          b.q, b.r = b.q - 1, b.r + b.w
        end
      end
    end
  end
  s.t = now
end

-- ModelQuota.ApplyEffectiveLimits: learnt limits win over configured ones; a removed limit forgets what was counted.
local function apply_limits(s)
  for i = 1, 4 do
    local learnt, configured = s['n' .. i], s['c' .. i]
    local limit = (learnt > 0 and learnt) or (configured > 0 and configured) or 0
    local b = s.b[i]
    if b.l ~= limit then
      if limit <= 0 then
        b.l, b.q, b.r, b.f, b.x = 0, 0, 0, 0, 0
      else
        b.l = limit
      end
    end
  end
end

-- QuotaBucket.Used: the amount counted, rounded up to whole units.
local function used(b)
  if b.l <= 0 then
    return 0
  end
  return b.q + ((b.r > 0) and 1 or 0)
end

-- ceil((n x W + r) / c) for an integer n of any sign, 0 <= r < W, 0 < c < 2^51, exactly.
local function ceil_debt(n, w, r, c)
  if n >= 0 then
    local q, rem = muldivmod(n, w, c)
    return q + math.floor((rem + r + c - 1) / c)
  end
  -- ceil(-(m x W - r) / c) = -floor((m x W - r) / c)
  local q, rem = muldivmod(-n, w, c)
  return -(q + math.floor((rem - r) / c))
end

-- QuotaBucket.TicksUntilFits, in microseconds, guard included: 0 when the amount fits now, -1 when it never fits.
-- Waits beyond 2^53 us (285 years) are not exact (doubles cannot count single microseconds there) and are only compared;
-- replies say 2^53 us.
local function until_fits(b, amount, now)
  -- now: the time of the last refill (s.t), as QuotaBucket's _updatedAt
  if b.l <= 0 then
    return 0
  end
  if amount > b.l then
    return -1
  end
  if amount == b.l then
    -- The whole limit: the bucket must be full, and for the guard's time if it got there by refilling.
    if b.q > 0 or b.r > 0 then
      return math.min(refill_time(b), LONG_FILL) + GUARD
    end
    if b.f == 0 then
      return 0
    end
    return math.max(0, b.f + GUARD - now)
  end
  local n = b.q + amount - b.l
  -- An exact level that fits needs no guard; anything that must wait for refill is fractional by then.
  if b.x == 0 and (n < 0 or (n == 0 and b.r == 0)) then
    return 0
  end
  -- QuotaBucket.MaxDebtToAdmit: with room = (L - amount) x W and guard = L x GUARD, the debt may reach room - guard when
  -- room >= 2 x guard, else room / 2. The first: wait ceil((debt - room + guard) / L) = ceil((n x W + r) / L) + GUARD.
  -- room >= 2 x guard <=> (L - amount) x (W / GUARD) >= 2 x L (W is a whole number of milliseconds).
  local k = b.w / GUARD
  local need_q, need_r = muldivmod(2, b.l, k)
  local wait
  if b.l - amount > need_q or (b.l - amount == need_q and need_r == 0) then
    local whole = math.floor(b.l / k)
    if n < -(whole + 1) then
      -- (-n) x W - r > guard already: fits (and -n x W would pass 2^53 for nothing).
      return 0
    end
    wait = ceil_debt(n, b.w, b.r, b.l) + GUARD
  else
    -- The second, in half units: wait ceil((2 x debt - room) / 2L) = ceil(((2q + amount - L) x W + 2r) / 2L).
    wait = ceil_debt(2 * b.q + amount - b.l, b.w, 2 * b.r, 2 * b.l)
  end
  if wait <= 0 then
    return 0
  end
  return math.min(wait, LONG_WAIT)
end

-- QuotaBucket.Add: counts an amount (negative gives back); the debt never goes below zero.
local function add(b, amount)
  if b.l <= 0 or amount == 0 then
    return
  end
  b.q = b.q + amount
  if b.q < 0 or (b.q == 0 and b.r == 0) then
    -- A refund that fills the bucket fills it exactly, on the server too (it clamps to the limit).
    b.q, b.r, b.f, b.x = 0, 0, 0, 0
  end
end

-- QuotaBucket.RaiseUsedTo: raises the amount counted to at least `target`; never lowers it.
local function raise(b, target)
  if b.l <= 0 then
    return false
  end
  target = math.max(0, target)
  if target <= b.q then
    return false
  end
  b.q, b.r, b.x = target, 0, 1
  return true
end

local function parse_reservation(member)
  local id, tokens, at = string.match(member, '^(%d+):(%d+):(%d+)$')
  return tonumber(id), tonumber(tokens), tonumber(at)
end

-- Reservations admitted after `id` and still in flight: the count and their tokens.
local function in_flight_after(id)
  local count, tokens = 0, 0
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. int(id), '+inf')) do
    local _, reserved = parse_reservation(member)
    count, tokens = count + 1, tokens + reserved
  end
  return count, tokens
end
