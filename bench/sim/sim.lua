-- The allocation of bench/sim/yardstick.c in Lua 5.4, over the same model.txt:
-- how a scripting-language version of the simulation compares.
local path = arg[1] or "model.txt"
local f = assert(io.open(path))
local nums = {}
for w in f:read("a"):gmatch("%S+") do nums[#nums + 1] = tonumber(w) end
f:close()
local p = 1
local function nx() local v = nums[p]; p = p + 1; return v end
local Y0, Y1, R, M, F, D = nx(), nx(), nx(), nx(), nx(), nx()
local mat, fac, dem = {}, {}, {}
for i = 0, M - 1 do mat[i] = {stage = nx(), price = nx(), need = nx(), per = nx()} end
for i = 0, F - 1 do fac[i] = {region = nx(), mat = nx(), cap0 = nx(), cap1 = nx(), util = nx(), cost = nx(), qualify = nx()} end
for i = 0, D - 1 do dem[i] = {region = nx(), mat = nx(), d0 = nx(), d1 = nx()} end
local function linear(y, y0, v0, y1, v1)
  if y <= y0 then return v0 elseif y >= y1 then return v1 end
  return v0 + (v1 - v0) * (y - y0) / (y1 - y0)
end
local lane = {}
for o = 0, R - 1 do for d = 0, R - 1 do
  lane[o * R + d] = (o == d) and 0 or ((d == (o + 1) % R) and 0.02 or 0.05)
end end
local shortage, imported, localgot, demrec = {}, {}, {}, {}
local eff, remcap, out = {}, {}, {}
for y = Y0, Y1 do
  local yi = y - Y0
  for i = 0, F - 1 do eff[i] = linear(y, 2024, fac[i].cap0, 2040, fac[i].cap1) * fac[i].util; out[i] = 0 end
  local demand = {}
  for i = 0, M * R - 1 do demand[i] = 0 end
  for i = 0, D - 1 do local d = dem[i]; demand[d.mat * R + d.region] = demand[d.mat * R + d.region] + linear(y, 2024, d.d0, 2060, d.d1) end
  for st = 3, 0, -1 do
    for m = 0, M - 1 do
      if mat[m].stage == st then
        local loc, rem = {}, {}
        for r = 0, R - 1 do loc[r] = 0; rem[r] = demand[m * R + r] end
        for i = 0, F - 1 do if fac[i].mat == m then remcap[i] = eff[i]; loc[fac[i].region] = loc[fac[i].region] + eff[i] end end
        for i = 0, F - 1 do
          if fac[i].mat == m then
            local r = fac[i].region
            local dm, l = demand[m * R + r], loc[r]
            if dm > 0 and eff[i] > 0 then
              local a = (dm >= l) and eff[i] or dm * (eff[i] / l)
              out[i] = out[i] + a
              local k = (yi * M + m) * R + r
              localgot[k] = (localgot[k] or 0) + a
              remcap[i] = (dm >= l) and 0 or eff[i] - a
            end
          end
        end
        for r = 0, R - 1 do
          local dm = demand[m * R + r]
          if dm > 0 and loc[r] > 0 then rem[r] = (dm >= loc[r]) and dm - loc[r] or 0 end
        end
        local pairs = {}
        for i = 0, F - 1 do
          if fac[i].mat == m and remcap[i] > 0 then
            local o = fac[i].region
            for r = 0, R - 1 do
              if rem[r] > 0 then
                local adv = (st == 3 and o == 0 and r ~= 0) and 0.10 or 0
                local tariff = (o == r) and 0 or adv * fac[i].cost
                local ln = (o == r) and 0 or lane[o * R + r]
                pairs[#pairs + 1] = {fac[i].cost * (1 + ln) + tariff, i, r}
              end
            end
          end
        end
        table.sort(pairs, function(a, b)
          if a[1] ~= b[1] then return a[1] < b[1] end
          if a[2] ~= b[2] then return a[2] < b[2] end
          return a[3] < b[3]
        end)
        for _, pr in ipairs(pairs) do
          local i, r = pr[2], pr[3]
          local a = math.min(rem[r], remcap[i])
          if a > 0 then
            rem[r] = rem[r] - a; remcap[i] = remcap[i] - a; out[i] = out[i] + a
            local k = (yi * M + m) * R + r
            if fac[i].region == r then localgot[k] = (localgot[k] or 0) + a
            else imported[k] = (imported[k] or 0) + a end
          end
        end
        for r = 0, R - 1 do
          local left = rem[r]
          local dm = demand[m * R + r]
          if math.abs(left) <= 1e-9 * math.max(dm, 1) then left = 0 end
          shortage[(yi * M + m) * R + r] = left
          demrec[(yi * M + m) * R + r] = dm
        end
        if mat[m].need >= 0 then
          for i = 0, F - 1 do
            if fac[i].mat == m then
              local k = mat[m].need * R + fac[i].region
              demand[k] = demand[k] + out[i] * mat[m].per
            end
          end
        end
      end
    end
  end
end
local yl = Y1 - Y0
local sm, ir, loc, dm = 0, 0, 0, 0
for r = 0, R - 1 do for m = 0, M - 1 do
  local k = (yl * M + m) * R + r
  if mat[m].stage == 0 then sm = sm + shortage[k] end
  if mat[m].stage == 1 then ir = ir + (imported[k] or 0) end
  if mat[m].stage == 3 and r == 3 then loc = loc + (localgot[k] or 0); dm = dm + demrec[k] end
end end
print(string.format("mining shortage 2060: %.0f t", sm))
print(string.format("refining imports 2060: %.0f t", ir))
print(string.format("cell localization R3 2060: %.2f%%", dm > 0 and loc / dm * 100 or 0))
