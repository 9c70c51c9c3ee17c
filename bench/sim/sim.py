#!/usr/bin/env python3
"""The allocation of bench/sim/yardstick.c in Python 3, over the same
model.txt: how a scripting-language version of the simulation compares."""
import sys

nums = open(sys.argv[1] if len(sys.argv) > 1 else "model.txt").read().split()
pos = 0
def nx(cast=float):
    global pos
    pos += 1
    return cast(nums[pos - 1])

Y0, Y1, R, M, F, D = (nx(int) for _ in range(6))
mat = [(nx(int), nx(), nx(int), nx()) for _ in range(M)]
fac = [(nx(int), nx(int), nx(), nx(), nx(), nx(), nx(int)) for _ in range(F)]
dem = [(nx(int), nx(int), nx(), nx()) for _ in range(D)]

def linear(y, y0, v0, y1, v1):
    if y <= y0:
        return v0
    if y >= y1:
        return v1
    return v0 + (v1 - v0) * (y - y0) / (y1 - y0)

lane = [[0.0 if o == d else (0.02 if d == (o + 1) % R else 0.05) for d in range(R)] for o in range(R)]
shortage, imported, localgot, demrec = {}, {}, {}, {}
for y in range(Y0, Y1 + 1):
    yi = y - Y0
    eff = [linear(y, 2024, f[2], 2040, f[3]) * f[4] for f in fac]
    out = [0.0] * F
    remcap = [0.0] * F
    demand = [0.0] * (M * R)
    for (r, m, d0, d1) in dem:
        demand[m * R + r] += linear(y, 2024, d0, 2060, d1)
    for st in (3, 2, 1, 0):
        for m in range(M):
            if mat[m][0] != st:
                continue
            loc = [0.0] * R
            rem = [demand[m * R + r] for r in range(R)]
            mine = [i for i in range(F) if fac[i][1] == m]
            for i in mine:
                remcap[i] = eff[i]
                loc[fac[i][0]] += eff[i]
            for i in mine:
                r = fac[i][0]
                dm, l = demand[m * R + r], loc[r]
                if dm <= 0 or eff[i] <= 0:
                    continue
                a = eff[i] if dm >= l else dm * (eff[i] / l)
                out[i] += a
                k = (yi * M + m) * R + r
                localgot[k] = localgot.get(k, 0.0) + a
                remcap[i] = 0.0 if dm >= l else eff[i] - a
            for r in range(R):
                dm = demand[m * R + r]
                if dm > 0 and loc[r] > 0:
                    rem[r] = dm - loc[r] if dm >= loc[r] else 0.0
            pairs = []
            for i in mine:
                if remcap[i] <= 0:
                    continue
                o, cost = fac[i][0], fac[i][5]
                for r in range(R):
                    if rem[r] <= 0:
                        continue
                    adv = 0.10 if (st == 3 and o == 0 and r != 0) else 0.0
                    tariff = 0.0 if o == r else adv * cost
                    ln = 0.0 if o == r else lane[o][r]
                    pairs.append((cost * (1 + ln) + tariff, i, r))
            pairs.sort()
            for (_, i, r) in pairs:
                a = min(rem[r], remcap[i])
                if a <= 0:
                    continue
                rem[r] -= a
                remcap[i] -= a
                out[i] += a
                k = (yi * M + m) * R + r
                if fac[i][0] == r:
                    localgot[k] = localgot.get(k, 0.0) + a
                else:
                    imported[k] = imported.get(k, 0.0) + a
            for r in range(R):
                left, dm = rem[r], demand[m * R + r]
                if abs(left) <= 1e-9 * max(dm, 1):
                    left = 0.0
                shortage[(yi * M + m) * R + r] = left
                demrec[(yi * M + m) * R + r] = dm
            need, per = mat[m][2], mat[m][3]
            if need >= 0:
                for i in mine:
                    demand[need * R + fac[i][0]] += out[i] * per

yl = Y1 - Y0
sm = sum(shortage[(yl * M + m) * R + r] for r in range(R) for m in range(M) if mat[m][0] == 0)
ir = sum(imported.get((yl * M + m) * R + r, 0.0) for r in range(R) for m in range(M) if mat[m][0] == 1)
loc = sum(localgot.get((yl * M + m) * R + 3, 0.0) for m in range(M) if mat[m][0] == 3)
dm = sum(demrec[(yl * M + m) * R + 3] for m in range(M) if mat[m][0] == 3)
print("mining shortage 2060: %.0f t" % sm)
print("refining imports 2060: %.0f t" % ir)
print("cell localization R3 2060: %.2f%%" % (loc / dm * 100 if dm > 0 else 0))
