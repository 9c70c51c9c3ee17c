#!/bin/sh
# Spec 11 on real engines: examples/project_risk.ons's sweep run as a Slurm
# job array (sbatch --wait --array=1-4) and as GNU parallel jobs, each shard
# a separate onshore; the parts merged with --sweep-dir must print exactly
# what one process prints, and pandas must read the parts with its defaults.
# Usage: tests/engines/distributed.sh  (ONSHORE_BIN, ONSHORE_ROOT as for the suites)
set -eu
root=$(cd "${ONSHORE_ROOT:-.}" && pwd)
bin=${ONSHORE_BIN:-$root/onshore}
example=$root/examples/project_risk.ons
# the shared tool beside the checkout, else the copy kept with the tests
slurm_local=$root/../shared/tools/slurm-local
[ -x "$slurm_local" ] || slurm_local=$root/tests/engines/slurm-local
work=$(mktemp -d "${TMPDIR:-/tmp}/onshore-engines-XXXXXX")
cleanup() {
    "$slurm_local" stop "$work/slurm" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
fail() { echo "distributed: FAILED: $*" >&2; exit 1; }

cd "$root"
"$bin" "$example" > "$work/single.out" || fail "the example does not run in one process"

# ---- Slurm: a job array of four shards ----
eval "$("$slurm_local" start "$work/slurm")"
cat > "$work/shard.sh" <<JOB
#!/bin/sh
exec "$bin" --jobs 1 --shard "\$SLURM_ARRAY_TASK_ID/4" --sweep-dir "$work/slurm-parts" "$example"
JOB
chmod +x "$work/shard.sh"
sbatch --quiet --wait --array=1-4 --chdir="$root" --output="$work/slurm-%a.out" "$work/shard.sh" ||
    { cat "$work"/slurm-*.out >&2 || true; fail "the Slurm job array failed"; }
for k in 1 2 3 4; do
    grep -q "shard $k of 4: wrote " "$work/slurm-$k.out" || fail "task $k did not say what it wrote: $(cat "$work/slurm-$k.out")"
done
"$bin" --sweep-dir "$work/slurm-parts" "$example" > "$work/slurm.out" || fail "the merge of the Slurm parts failed"
cmp -s "$work/single.out" "$work/slurm.out" || { diff "$work/single.out" "$work/slurm.out" >&2 || true; fail "Slurm merge differs from one process"; }
"$slurm_local" stop "$work/slurm" >/dev/null
echo "distributed: a Slurm job array of 4 shards merges to the single-process output"

# ---- GNU parallel: five shards, two at a time ----
parallel --will-cite -j 2 "$bin" --jobs 1 --shard {}/5 --sweep-dir "$work/parallel-parts" "$example" ::: 1 2 3 4 5 \
    > /dev/null 2> "$work/parallel.err" || { cat "$work/parallel.err" >&2; fail "GNU parallel shards failed"; }
"$bin" --sweep-dir "$work/parallel-parts" "$example" > "$work/parallel.out" || fail "the merge of the parallel parts failed"
cmp -s "$work/single.out" "$work/parallel.out" || fail "GNU parallel merge differs from one process"
echo "distributed: GNU parallel, 5 shards, merges to the single-process output"

# ---- pandas reads the parts with its default options ----
# Debian's python3-pandas belongs to the system's python3, not to one on PATH (pyenv)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" - "$work/parallel-parts" <<'PY' || fail "pandas cannot read the parts"
import glob, json, sys
import pandas as pd
parts = sorted(glob.glob(sys.argv[1] + "/uncertain.*-of-5.csv"))
assert len(parts) == 5, parts
frame = pd.concat([pd.read_csv(p) for p in parts]).sort_values("sample")
meta = json.load(open(parts[0][:-4] + ".json"))
assert list(frame["sample"]) == list(range(meta["runs"])), "every sample once"
assert list(frame.columns[1:6]) == meta["params"], frame.columns[:6]
col = "localization(US, stage active) 2030"
assert frame[col].dtype.kind == "f" and 0 < frame[col].median() < 1, frame[col].describe()
assert frame["complies(ira_30d_minerals_statute, US) 2027"].dtype == bool
print("distributed: pandas reads %d samples, %d columns; median 2030 active localization %.3f"
      % (len(frame), len(frame.columns), frame[col].median()))
PY
