-- Settle / Release (ModelQuota.Settle, ModelQuota.Release), exactly once per reservation.
-- KEYS: state hash, in-flight set.
-- ARGV: 1 time override, 2 "1" to release, 3 reservation id, 4 actual tokens (settle), 5 key expiry (ms),
--       6 channel, 7 message: published when quota was given back, so other instances wake their queues.
-- Reply: 1 when this call settled or released the reservation, 0 when it was settled, released or dropped before.
local now = clock(ARGV[1])
local id = tonumber(ARGV[3])
local member = redis.call('ZRANGEBYSCORE', KEYS[2], id, id)[1]
if not member then
  return 0
end
redis.call('ZREM', KEYS[2], member)
local _, reserved = parse_reservation(member)

local s = load(KEYS[1])
advance(s, now)
local freed
if ARGV[2] == '1' then
  add(s.b[1], -1)
  add(s.b[2], -1)
  add(s.b[3], -reserved)
  add(s.b[4], -reserved)
  s.rel = s.rel + reserved
  freed = true
else
  local delta = tonumber(ARGV[4]) - reserved
  add(s.b[3], delta)
  add(s.b[4], delta)
  s.stl = s.stl + reserved
  freed = delta < 0
end
s.ifc, s.ift = s.ifc - 1, s.ift - reserved
save(KEYS[1], s)
expire(s, now, tonumber(ARGV[5]))
if freed and ARGV[6] ~= '' then
  redis.call('PUBLISH', ARGV[6], ARGV[7])
end
return 1
