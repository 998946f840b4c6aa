-- Pause (ModelQuota.Pause): holds back every admission until now + duration; a longer pause in force is kept.
-- KEYS: state hash, in-flight set.
-- ARGV: 1 time override, 2 duration (us, > 0), 3 the limit Groq named (GroqLimitKind), 4 key expiry (ms).
local now = clock(ARGV[1])
local s = load(KEYS[1])
local until_us = now + tonumber(ARGV[2])
if until_us > s.pu then
  redis.call('HSET', KEYS[1], 'pu', int(until_us), 'pk', ARGV[3])
  s.pu = until_us
end
expire(s, now, tonumber(ARGV[4]))
return 0
