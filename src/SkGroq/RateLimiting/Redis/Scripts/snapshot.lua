-- GetSnapshot (ModelQuota.Snapshot): every limit now. Writes nothing.
-- KEYS: state hash, in-flight set.   ARGV: 1 time override.
-- Reply: { limit1, used1, ..., limit4, used4, paused for (us), in-flight count, in-flight tokens, reserved, settled, released, dropped }
local now = clock(ARGV[1])
local s = load(KEYS[1])
advance(s, now)
local result = {}
for i = 1, 4 do
  result[2 * i - 1] = s.b[i].l
  result[2 * i] = used(s.b[i])
end
result[9] = (s.pu > now) and (s.pu - now) or 0
result[10], result[11] = s.ifc, s.ift
result[12], result[13], result[14], result[15] = s.rsv, s.stl, s.rel, s.exp
return result
