#!/usr/bin/env python3
"""A generated planning model for `make bench` (issue 16): 8 regions, 8
materials in four stages, 300 facilities, 60 options, 12 years and two
enforced policies.  Usage: gen_plan.py OUT.ons LP_PATH.  Deterministic: the
same file every time (a fixed seed)."""
import random
import sys

out, lp = sys.argv[1], sys.argv[2]
rnd = random.Random(16)
R = ["R%d" % i for i in range(8)]
stages = ["mining", "refining", "active", "cell"]
mats = [("ore_a", "mining", "t", 100, None), ("ore_b", "mining", "t", 150, None),
        ("salt_a", "refining", "t", 12000, "{ore_a: 2 t/t}"), ("salt_b", "refining", "t", 15000, "{ore_b: 3 t/t}"),
        ("cam", "active", "t", 30000, "{salt_a: 0.6 t/t, salt_b: 0.4 t/t}"),
        ("aam", "active", "t", 8000, "{ore_b: 1.1 t/t}"),
        ("cell_x", "cell", "GWh", 90, "{cam: 1.4 kt/GWh, aam: 1 kt/GWh}"),
        ("cell_y", "cell", "GWh", 70, "{cam: 2 kt/GWh, aam: 1.1 kt/GWh}")]
unit_rate = {"t": "kt/yr", "GWh": "GWh/yr"}
cap_range = {"mining": (50, 400), "refining": (5, 60), "active": (10, 120), "cell": (5, 60)}
L = []
L.append("stages " + ", ".join(stages))
for r in R:
    L.append("region %s" % r)
for name, stage, unit, price, needs in mats:
    p = "%d $/t" % price if unit == "t" else "%d $/kWh" % price
    L.append("material %s { unit: %s, stage: %s, price: %s%s }" % (name, unit, stage, p,
             ", needs: %s" % needs if needs else ""))
L.append("lane * -> * { cost: 5% }")
for i in range(300):
    name, stage, unit, price, _ = mats[i % len(mats)]
    r = R[rnd.randrange(len(R))]
    lo, hi = cap_range[stage]
    cap = rnd.randint(lo, hi)
    cost = price * rnd.uniform(0.7, 1.3)
    c = "%.0f $/t" % cost if unit == "t" else "%.1f $/kWh" % cost
    L.append("facility f%d { region: %s, makes: %s, capacity: %d %s, cost: %s }" % (i, r, name, cap, unit_rate[unit], c))
for i in range(60):
    name, stage, unit, price, _ = mats[i % len(mats)]
    r = R[rnd.randrange(len(R))]
    cost = price * rnd.uniform(0.8, 1.4)
    c = "%.0f $/t" % cost if unit == "t" else "%.1f $/kWh" % cost
    capex = price * rnd.uniform(1.0, 3.0)
    cx = "%.0f $ / (1 t/yr)" % capex if unit == "t" else "%.0f M$ / (1 GWh/yr)" % (capex * 1e6 / 1e6 / 10)
    lead = rnd.randint(1, 3)
    lo, hi = cap_range[stage]
    L.append("option o%d { region: %s, makes: %s, cost: %s, capex: %s, lead: %d yr, max: %d %s }"
             % (i, r, name, c, cx, lead, hi * 3, unit_rate[unit]))
for k, r in enumerate(R):
    a, b = rnd.randint(20, 80), rnd.randint(100, 300)
    L.append("demand %s cell_x: linear {2024: %d GWh, 2035: %d GWh}" % (r, a, b))
    L.append("demand %s cell_y: linear {2024: %d GWh, 2035: %d GWh}" % (r, a // 2, b // 2))
L.append("policy home {")
L.append("    require share of stage active from [R0, R1] >= linear {2026: 20%, 2032: 50%} for R0 from 2026")
L.append("    require localization of stage cell >= 30% for R1 from 2028")
L.append("}")
L.append("policy spread_out { require top origin share of stage refining <= 60% for R2 }")
L.append("scenario bench { years: 2024..2035, plan { options: [%s], enforce: [home, spread_out], discount: 6%%, write: \"%s\" } }"
         % (", ".join("o%d" % i for i in range(60)), lp))
L.append("print(plan_cost(run bench) / 1 M$)")
with open(out, "w") as f:
    f.write("\n".join(L) + "\n")
