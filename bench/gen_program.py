#!/usr/bin/env python3
"""Writes a large, valid Onshore program (default 200,000 lines) for the
parse + compile throughput benchmark: declarations of every kind, functions
and top-level statements, in the proportions of a big scenario file.
With --lua, the same data as a Lua program of the same shape (tables for
the declarations), for luac's rate on a file like it."""
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
lines_wanted = int(args[0]) if args else 200_000
if "--lua" in sys.argv:
    out = ["local R, M, F, X = {}, {}, {}, {}",
           "local function step(t) return t end",
           "local function ramp(y, y0, y1, v) if y < y0 then return 0 elseif y >= y1 then return v "
           "else return v * (y - y0) / (y1 - y0) end end"]
    w = out.append
    for r in range(60):
        w(f'R.R{r} = {{ name = "Region {r}" }}')
    for m in range(400):
        w(f"M.m{m} = {{")
        w(f'    unit = "{"GWh" if m % 4 == 3 else "t"}",')
        w(f'    stage = "{["mining", "refining", "active", "cell"][m % 4]}",')
        w(f'    classes = {{ "critical_mineral" }},')
        w(f"    price = {(m % 17) + 1} * 1000,")
        if m % 4:
            w(f"    needs = {{ m{m - 1} = 1.1 }},")
        w('    source = "generated",')
        w("}")
    f = 0
    while len(out) < lines_wanted - 40:
        w(f"F.f{f} = {{")
        w(f'    region = "R{f % 60}",')
        w(f'    makes = "m{f % 400}",')
        w(f"    capacity = step({{ [2025] = {f % 90 + 10} * 1000, [2030] = {f % 70 + 20} * 1000 }}),")
        w(f"    utilization = {(80 + f % 20) / 100},")
        w(f"    qualify = {f % 3},")
        w("}")
        if f % 10 == 0:
            w(f"X.x{f} = {f} * 1000 + 2 * {f % 7} - ramp(2027, 2024, 2030, 5000)")
        f += 1
    print("\n".join(out))
    sys.exit(0)
out = []
w = out.append
w("stages mining, refining, active, cell")
w("class critical_mineral, component")
nreg = 60
for r in range(nreg):
    w(f'region R{r} "Region {r}"')
w("group g1 = [" + ", ".join(f"R{r}" for r in range(0, nreg, 3)) + "]")
stages = ["mining", "refining", "active", "cell"]
nmat = 400
for m in range(nmat):
    st = stages[m % 4]
    unit = "GWh" if st == "cell" else "t"
    price = "100 $/kWh" if unit == "GWh" else f"{(m % 17) + 1} k$/t"
    w(f"material m{m} {{")
    w(f"    unit: {unit}")
    w(f"    stage: {st}")
    w(f"    classes: [critical_mineral]")
    w(f"    price: {price}")
    if m % 4:
        iu = "t"
        per = "0.7 kt/GWh" if unit == "GWh" else "1.1 t/t"
        w(f"    needs: {{m{m - 1}: {per}}}")
    w(f'    source: "generated"')
    w("}")
w("fn ramp(y0, y1, v) = if year < y0 then 0 * v else if year >= y1 then v else v * (year - y0) / (y1 - y0)")
f = 0
while len(out) < lines_wanted - 40:
    m = f % nmat
    unit = "GWh/yr" if stages[m % 4] == "cell" else "kt/yr"
    w(f"facility f{f} {{")
    w(f"    region: R{f % nreg}")
    w(f"    makes: m{m}")
    w(f"    capacity: step {{2025: {f % 90 + 10} {unit}, 2030: {f % 70 + 20} {unit}}}")
    w(f"    utilization: {80 + f % 20}%")
    w(f"    qualify: {f % 3} yr")
    w("}")
    if f % 10 == 0:
        w(f"let x{f} = {f} kt + 2 * {f % 7} t - ramp(2024, 2030, 5 kt) at 2027")
    f += 1
for m in range(3, nmat, 4):   # every cell material is wanted, so nothing is idle
    w(f"demand R{m % nreg} m{m}: linear {{2024: 10 GWh, 2030: 90 GWh}}")
w("lane * -> * { cost: 5%, days: 30 }")
w("scenario s { years: 2024..2030 }")
print("\n".join(out))
