#!/bin/sh
# Reports written to files, read by the tools analysts open them with, each
# with its default settings: Python's csv module, pandas' read_csv, sqlite3's
# .import, csvkit's csvlook (when installed), jq for JSON and NDJSON.
# Every report kind is written as CSV, TSV, the long layout and JSON from a
# shipped example.
# Usage: tests/engines/consumers.sh  (ONSHORE_BIN, ONSHORE_ROOT as for the suites)
set -eu
root=$(cd "${ONSHORE_ROOT:-.}" && pwd)
bin=${ONSHORE_BIN:-$root/onshore}
work=$(mktemp -d "${TMPDIR:-/tmp}/onshore-consumers-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
fail() { echo "consumers: FAILED: $*" >&2; exit 1; }
cd "$work"

cat > reports.ons <<'EOF'
let r = run announced
report gap for US in 2030 to "gap.csv"
report gap for US in 2024..2030 on stage active to "gap_years.csv"
report imports for US on cell_nmc811 in 2030 to "imports.csv"
report compare announced, argonne for US in 2030 to "compare.csv"
report sources for US to "sources.csv"
explain US cell_nmc811 2030 to "explain.csv"
report gap for US in 2030 to "gap.tsv"
report imports for US on cell_nmc811 in 2030 as long to "imports_long.csv"
report compare announced, argonne for US in 2030 as long to "compare_long.csv"
report gap for US in 2030 to "gap.json"
report imports for US on cell_nmc811 in 2030 to "imports.json"
report compare announced, argonne for US in 2030 to "compare.json"
EOF
"$bin" "$root/examples/us_2030.ons" reports.ons > /dev/null || fail "the reports did not run"
printf 'run in_force\nreport compliance for US to "compliance.csv"\n' > compliance.ons
"$bin" "$root/examples/ira_sourcing.ons" compliance.ons > /dev/null || fail "the compliance report did not run"
csvs="gap gap_years imports compliance compare sources explain imports_long compare_long"
for f in $csvs; do
    [ -s "$f.csv" ] && [ -s "$f.csv.meta.json" ] || fail "$f.csv or its sidecar is missing"
    head -c 1 "$f.csv" | grep -q '#' && fail "$f.csv begins with a # line"
done

# ---- Python: csv with its defaults, pandas with its defaults ----
py=/usr/bin/python3 # Debian's python3-pandas belongs to the system's python3
[ -x "$py" ] || py=python3
"$py" - $csvs <<'PY' || fail "Python cannot read the files"
import csv, json, sys
import pandas as pd
for name in sys.argv[1:]:
    path = name + ".csv"
    rows = list(csv.reader(open(path, newline="")))
    assert len(rows) >= 2, (path, rows)
    assert all(len(r) == len(rows[0]) for r in rows), path + ": every row has the header's width"
    frame = pd.read_csv(path)
    assert list(frame.columns) == rows[0], (path, list(frame.columns))
    assert not any(str(c).startswith("#") for c in frame.columns), path
    meta = json.load(open(path + ".meta.json"))
    assert meta["header"].startswith("scenario ") or meta["header"].startswith("compare "), meta
    assert isinstance(meta["notes"], list)
gap = pd.read_csv("gap.csv")
assert gap["demand"].dtype.kind == "f" and gap["localization"].between(0, 1).all(), gap
assert gap.loc[gap["stage"] == "cell", "unit"].item() == "GWh"
imports = pd.read_csv("imports.csv")
assert imports["local"].dtype == bool and imports["local"].sum() == 1, imports
assert imports.loc[imports["local"], "origin"].item() == "US"
assert (imports["price_unit"] == "$/GWh").all() and imports["landed_cost"].dtype.kind == "f"
compare = pd.read_csv("compare.csv")
assert list(compare.columns) == ["stage", "unit", "figure", "scenario", "value"], compare.columns
assert set(compare["scenario"]) == {"announced", "argonne"}
cell = compare[(compare["stage"] == "cell") & (compare["figure"] == "demand")].set_index("scenario")["value"]
assert cell["announced"] == 1600 and cell["argonne"] == 1080, cell
assert not compare["figure"].str.contains("%").any(), "no % anywhere"
long = pd.read_csv("compare_long.csv")
assert list(long.columns) == ["scenario", "region", "year", "item", "figure", "value", "unit"]
wide = long[long["unit"] == "GWh"].pivot_table(index="figure", columns="scenario", values="value")
assert wide.loc["demand", "argonne"] == 1080, wide
tsv = pd.read_csv("gap.tsv", sep="\t")
assert list(tsv.columns) == list(gap.columns) and (tsv["demand"] == gap["demand"]).all()
print("consumers: Python's csv and pandas read %d CSV files with their defaults" % len(sys.argv[1:]))
PY

# ---- sqlite3 .import (the first row names the columns of a new table) ----
for f in gap imports compare; do
    n=$(sqlite3 :memory: ".import --csv $f.csv t" "select count(*) from t")
    rows=$(($(wc -l < "$f.csv") - 1))
    [ "$n" = "$rows" ] || fail "sqlite3 imported $n rows of $f.csv, not $rows"
done
demand=$(sqlite3 :memory: ".import --csv compare.csv t" \
    "select value from t where stage='cell' and figure='demand' and scenario='argonne'")
[ "$demand" = "1080" ] || fail "sqlite3 reads the argonne cell demand as '$demand'"
echo "consumers: sqlite3 .import takes gap, imports and compare with the header row as column names"

# ---- csvkit ----
# csvlook with its defaults: every row, every column.  (Python's dialect
# sniffer, which csvkit tries first, may give up on long texts with blanks
# and say so on stderr; csvkit then reads RFC 4180, which is what we write.)
if command -v csvlook > /dev/null 2>&1; then
    for f in $csvs; do
        csvlook "$f.csv" > "$f.look" 2> "$f.err" || fail "csvlook cannot read $f.csv: $(cat "$f.err")"
        grep -v "Error sniffing CSV dialect\|from_csv.py" "$f.err" > "$f.err2" || true
        [ ! -s "$f.err2" ] || fail "csvlook complains about $f.csv: $(cat "$f.err2")"
        rows=$(($(wc -l < "$f.csv") + 1)) # the header, its rule and each row
        [ "$(wc -l < "$f.look")" = "$rows" ] || fail "csvlook shows $(wc -l < "$f.look") lines of $f.csv, not $rows"
        cols=$(head -1 "$f.csv" | tr ',' '\n' | wc -l)
        [ "$(head -1 "$f.look" | tr -cd '|' | wc -c)" = "$((cols + 1))" ] || fail "csvlook shows other columns for $f.csv"
    done
    grep -q "| origin" imports.look || fail "csvlook shows no origin column: $(cat imports.look)"
    echo "consumers: csvlook reads every row and column of every CSV file"
fi

# ---- jq: each JSON file is one document, NDJSON on stdout ----
for f in gap imports compare; do
    jq -e '.header and .title and (.rows | length > 0) and (.notes | type == "array")' "$f.json" > /dev/null ||
        fail "jq: $f.json is not one report"
done
[ "$(jq -r '.rows[] | select(.local) | .origin' imports.json)" = "US" ] || fail "jq: the local origin"
"$bin" --format json "$root/examples/us_2030.ons" 2> /dev/null > stream.json || fail "--format json did not run"
docs=$(jq -c 'select(.header)' stream.json | wc -l)
[ "$docs" -ge 2 ] && [ "$docs" = "$(wc -l < stream.json)" ] || fail "--format json: $docs documents in $(wc -l < stream.json) lines"
echo "consumers: jq reads each JSON report and the NDJSON stream of --format json ($docs reports)"
