-- Strings: format numbers, build and compare strings, key a map by them.
local m, n, count = {}, 0, 0
local i = 0
while i < 300000 do
  local s = "plant_" .. tostring(i % 5000) .. ":" .. tostring(i * 0.5)
  if m[s] == nil then count = count + 1 end
  m[s] = i
  n = n + #s
  i = i + 1
end
print(n + count)
