-- List and map access: fill a list and a map, then read them 2*10^6 times.
local xs, m = {}, {}
for i = 0, 999 do xs[i + 1] = i * 1000; m["k" .. i] = i * 2000 end
local keys = {}
for i = 0, 999 do keys[i] = "k" .. i end
local total, i = 0, 0
while i < 2000000 do
  local k = i % 1000
  total = total + xs[k + 1] + m[keys[k]]
  i = i + 1
end
print(total)
