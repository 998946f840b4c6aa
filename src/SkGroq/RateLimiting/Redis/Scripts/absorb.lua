-- Absorb: after Redis was unreachable, an instance brings back what it admitted on its own. Raises each bucket's usage to
-- at least the given amount (never lowers it); a bucket whose limit Redis lost (restarted empty) gets the instance's last
-- known limit as its configured limit first, so the usage is not dropped.
-- KEYS: state hash, in-flight set.
-- ARGV: 1 time override, 2..5 usage RPM RPD TPM TPD, 6..9 limits RPM RPD TPM TPD (0 = unknown), 10 key expiry (ms).
-- Reply: 1 when any usage rose.
local now = clock(ARGV[1])
local s = load(KEYS[1])
advance(s, now)
for i = 1, 4 do
  local limit = tonumber(ARGV[5 + i])
  if s['c' .. i] <= 0 and s['n' .. i] <= 0 and limit > 0 then
    s['c' .. i] = limit
  end
end
apply_limits(s)
local rose = false
for i = 1, 4 do
  if raise(s.b[i], tonumber(ARGV[1 + i])) then
    rose = true
  end
end
save(KEYS[1], s)
expire(s, now, tonumber(ARGV[10]))
return rose and 1 or 0
