#!/usr/bin/env bash
# Where callmap spends its instructions loading the benchmark Master.csv.
# perf (full file) if the machine counts instructions, else callgrind on a
# slice. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
dir=${BENCH_DIR:-/tmp/callmap-bench}
callmap=${CALLMAP:-$repo/build/bin/callmap}
lines=100000
tool=auto
top=25

usage() {
    cat <<EOF
Usage: bench/profile.sh [OPTIONS]

Profiles one 'callmap run' (fresh store) on the benchmark data and prints the
top functions by share of instructions (self cost) and the share per library.

  --tool auto|perf|perf-clock|callgrind
                     perf: 'perf record -e instructions' on the full
                     Master.csv; perf-clock: the same sampling cpu-clock
                     (works where the VM has no hardware counters; shows
                     time, incl. the kernel); callgrind: instructions on a
                     --lines slice (under valgrind OpenSSL uses no SHA-NI, so
                     SHA-256 shows far dearer than it is natively).
                     auto: perf if 'perf stat -e instructions true' counts
                     instructions, else callgrind [default auto]
  -n, --lines N      callgrind: lines of Master.csv to profile [default 100000]
  -d, --dir DIR      work directory [BENCH_DIR, default /tmp/callmap-bench];
                     Master.csv there is reused (made by bench/run.sh), or a
                     slice is generated
  -c, --callmap EXE  [CALLMAP, default <repo>/build/bin/callmap]
  --top N            functions to list [default 25]
  -h, --help         this help
EOF
}
die() { echo "profile: ERROR: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case $1 in
    --tool) tool=${2:?}; shift 2 ;;
    -n | --lines) lines=${2:?}; shift 2 ;;
    -d | --dir) dir=${2:?}; shift 2 ;;
    -c | --callmap) callmap=${2:?}; shift 2 ;;
    --top) top=${2:?}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "profile: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
dir=$(realpath -m -- "$dir")
case "$dir/" in "$repo"/*) die "work dir $dir is inside the repository" ;; esac
mkdir -p "$dir"
[[ -x $callmap ]] || die "callmap not found at $callmap"

if [[ $tool == auto ]]; then
    tool=callgrind
    if command -v perf >/dev/null && perf stat -x, -e instructions true 2>&1 >/dev/null |
        grep -q '^[0-9]'; then
        tool=perf
    fi
fi

csv=$dir/Master.csv
if [[ $tool == callgrind ]]; then
    command -v valgrind >/dev/null || die "valgrind not found"
    input=$dir/profile-slice.csv
    if [[ -f $csv ]] && [[ $(wc -l <"$csv") -ge $lines ]]; then
        head -n "$lines" "$csv" >"$input"
    else
        cc -O2 -std=c11 -o "$dir/gen_master" "$here/gen_master.c" || die "cannot compile the generator"
        "$dir/gen_master" "$lines" 1 >"$input" || die "the generator failed"
    fi
else
    command -v perf >/dev/null || die "perf not found"
    [[ -f $csv ]] || die "no $csv; run bench/run.sh first"
    input=$csv
fi

db=$dir/profile.db
rm -f "$db" "$db-wal" "$db-shm" "$db-journal" "$db.lock"
cat >"$dir/profile.xml" <<EOF
<pipeline name="profile">
  <store path="$db"/>
  <source id="pbx-bench" plugin="pbx" kind="asterisk-cdr" timezone="Europe/Copenhagen">
    <input path="$input"/>
    <option name="extension-prefix" value="+453366"/>
  </source>
</pipeline>
EOF
echo "profiling callmap on $(wc -l <"$input") lines with $tool ..."

if [[ $tool == perf || $tool == perf-clock ]]; then
    event=instructions
    [[ $tool == perf-clock ]] && event=cpu-clock
    perf record -q -e $event -F 2000 -g -o "$dir/perf.data" -- "$callmap" -q run "$dir/profile.xml" >/dev/null ||
        die "callmap (under perf) failed"
    echo "--- top functions (self, % of $event samples) ---"
    perf report -i "$dir/perf.data" --no-children --sort symbol,dso --stdio 2>/dev/null |
        grep -E '^ +[0-9.]+%' | awk -v n="$top" 'NR <= n'
    echo "--- per library ---"
    perf report -i "$dir/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9.]+%'
else
    out=$dir/callgrind.out
    valgrind --tool=callgrind --callgrind-out-file="$out" -- "$callmap" -q run "$dir/profile.xml" \
        >/dev/null 2>"$dir/callgrind.log" || { tail -n 20 "$dir/callgrind.log" >&2; die "callmap (under callgrind) failed"; }
    ann=$dir/callgrind.txt
    callgrind_annotate --threshold=100 "$out" >"$ann" 2>/dev/null
    total=$(awk '/PROGRAM TOTALS/ && !t { t = $1 } END { print t }' "$ann" | awk '{ gsub(",", "", $1); print $1 }')
    echo "total instructions: $total"
    echo "--- top functions (self, % of instructions) ---"
    # lines look like: 1,234,567 (12.34%)  file:function [object]
    grep -E '^ *[0-9,]+ \( *[0-9.]+%\)  ' "$ann" | grep -v 'PROGRAM TOTALS' | awk -v n="$top" 'NR <= n' |
        sed -E 's#\[(/[^]]*/)?([^]/]*)\]#[\2]#'
    echo "--- per library (self) ---"
    grep -E '^ *[0-9,]+ \( *[0-9.]+%\)  ' "$ann" | grep -v 'PROGRAM TOTALS' |
        awk -v total="$total" 'match($0, /\[[^]]*\]$/) { n = $1; gsub(",", "", n); obj = substr($0, RSTART + 1, RLENGTH - 2); sub(".*/", "", obj); s[obj] += n }
             END { for (o in s) if (100 * s[o] / total >= 0.05) printf "%6.2f%%  %s\n", 100 * s[o] / total, o }' | sort -rn
    echo "--- inclusive (top-down) ---"
    callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null | grep -E '^ *[0-9,]+ \( *[0-9.]+%\)  .*\]$' |
        grep -v 'PROGRAM TOTALS' | awk -v n="$top" 'NR <= n' | sed -E 's#\[(/[^]]*/)?([^]/]*)\]#[\2]#'
    echo "full annotation: $ann (callgrind_annotate $out)"
fi
rm -f "$db" "$db-wal" "$db-shm" "$db-journal" "$db.lock"
