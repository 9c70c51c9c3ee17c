-- Closure calls: a counter made by a function, called 3*10^6 times.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c = counter()
local i = 0
while i < 3000000 do c(); i = i + 1 end
print(c())
