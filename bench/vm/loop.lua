-- The same loop with plain numbers (Lua has no units).
local total, rate, dt, i = 0, 3000, 1 / 365, 0
while i < 10000000 do
  total = total + rate * dt
  if total > 1e6 then total = total - 1e6 end
  i = i + 1
end
print(total)
