#!/usr/bin/env python3
"""make bench: times Onshore against Lua 5.4 and Python 3 and prints one
table of medians.  Not part of `make check` (timing is not a test).

  VM        fib(30), a unit-carrying loop of 10^7 steps, closure calls, list
            and map access -- the same programs in bench/vm/*.{ons,lua,py}
  start-up  onshore -e ''
  compile   parse + compile of a generated 200,000-line program
  simulate  a generated model of 5,000 facilities, 50 regions, 12 materials
            over 2024..2060, against a hand-written C loop doing the same
            allocation (bench/sim/yardstick.c) and Lua and Python versions

Targets (the issues): VM ratio to Lua <= 1.0; start-up < 2 ms; compile
>= 20 MB/s; simulation < 0.5 s, < 200 MB, within 3x of the C loop; the same
model under `shortage: propagates` within 3x of it."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ONSHORE = os.path.join(ROOT, "onshore")
QUICK = "--quick" in sys.argv


def run(cmd, repeat):
    """Median wall time in seconds, peak RSS in MB (of these runs alone) and
    the output of `repeat` runs."""
    times, rss = [], 0.0
    for _ in range(repeat):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=out, stderr=err)
            _, status, usage = os.wait4(p.pid, 0)
            times.append(time.perf_counter() - t)
            out.seek(0)
            err.seek(0)
            text = out.read().decode()
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit("failed: %s\n%s" % (" ".join(cmd), err.read().decode()))
            rss = max(rss, usage.ru_maxrss / 1024)
    return statistics.median(times), rss, text


def row(name, ons, other, ratio_to, target):
    print("%-28s %10s %10s %10s %9s   %s" % (name, ons, other[0], other[1], ratio_to, target))


def ms(t):
    return "%.0f ms" % (t * 1000) if t >= 0.01 else "%.2f ms" % (t * 1000)


def main():
    n = 3 if QUICK else 5
    print("%-28s %10s %10s %10s %9s   %s" % ("benchmark", "onshore", "lua 5.4", "python 3", "ons/lua", "target"))
    print("-" * 92)
    for b in ("fib", "loop", "closure", "collections"):
        d = os.path.join(ROOT, "bench", "vm")
        t_o, _, out_o = run([ONSHORE, os.path.join(d, b + ".ons")], n)
        t_l, _, _ = run(["lua5.4", os.path.join(d, b + ".lua")], n)
        t_p, _, _ = run(["python3", os.path.join(d, b + ".py")], 1 if QUICK else 3)
        row(b, ms(t_o), (ms(t_l), ms(t_p)), "%.2f" % (t_o / t_l), "<= 1.00")

    t_s, _, _ = run([ONSHORE, "-e", ""], 51)
    t_ls, _, _ = run(["lua5.4", "-e", ""], 51)
    row("start-up (-e '')", ms(t_s), (ms(t_ls), "-"), "%.2f" % (t_s / t_ls), "< 2 ms")

    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "big.ons")
        with open(big, "w") as f:
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_program.py"), "200000"], stdout=f, check=True)
        size = os.path.getsize(big) / 1e6
        t_c, _, _ = run([ONSHORE, "check", big], n)
        row("compile 200k lines (%.1f MB)" % size, "%.1f MB/s" % (size / t_c), ("-", "-"), "-", ">= 20 MB/s")

        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "sim", "gen_model.py"), tmp], check=True)
        model, data = os.path.join(tmp, "model.ons"), os.path.join(tmp, "model.txt")
        yard = os.path.join(tmp, "yardstick")
        subprocess.run(["cc", "-O2", "-o", yard, os.path.join(ROOT, "bench", "sim", "yardstick.c"), "-lm"], check=True)
        t_m, rss, out_m = run([ONSHORE, model], n)
        t_y, _, out_y = run([yard, data], n)
        if out_m != out_y:
            sys.exit("the simulation and the C yardstick disagree:\n%s\n%s" % (out_m, out_y))
        t_ml, _, out_l = run(["lua5.4", os.path.join(ROOT, "bench", "sim", "sim.lua"), data], 1)
        t_mp, _, out_p = run(["python3", os.path.join(ROOT, "bench", "sim", "sim.py"), data], 1)
        if out_l != out_m or out_p != out_m:
            sys.exit("the Lua or Python simulation disagrees with Onshore")
        row("simulate 5000 fac x 37 yr", ms(t_m), (ms(t_ml), ms(t_mp)), "%.3f" % (t_m / t_ml), "< 500 ms")
        row("  the same in C (yardstick)", ms(t_y), ("-", "-"), "-", "onshore/C = %.2f (<= 3)" % (t_m / t_y))
        row("  peak memory (onshore)", "%.0f MB" % rss, ("-", "-"), "-", "< 200 MB")
        # spec 10.4: the same model with `shortage: propagates` (each year
        # checked for facilities short of inputs, repeated while any is)
        prop = os.path.join(tmp, "model_prop.ons")
        with open(model) as src, open(prop, "w") as dst:
            dst.write(src.read().replace("scenario bench {", "scenario bench { shortage: propagates,"))
        t_p, _, _ = run([ONSHORE, prop], n)
        row("  with shortage: propagates", ms(t_p), ("-", "-"), "-", "x%.2f of the plain run (<= 3)" % (t_p / t_m))
    print("-" * 92)
    print("medians of %d runs; the simulation's figures agree across Onshore, C, Lua and Python" % n)


if __name__ == "__main__":
    main()
