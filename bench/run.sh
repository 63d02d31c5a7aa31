#!/usr/bin/env bash
# callmap load benchmark: callmap vs `sqlite3 .import` on a synthetic
# 1,000,000-line Asterisk Master.csv. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)

rounds=${BENCH_ROUNDS:-5}
lines=${BENCH_LINES:-1000000}
seed=${BENCH_SEED:-1}
dir=${BENCH_DIR:-/tmp/callmap-bench}
callmap=${CALLMAP:-$repo/build/bin/callmap}
sqlite=${SQLITE3:-sqlite3}
regen=0
keep=0
check=0
build=0

usage() {
    cat <<EOF
Usage: bench/run.sh [OPTIONS]

Generates a synthetic Asterisk cdr_csv Master.csv (18 columns, real format)
and times, pairwise over several rounds, loading it with
  callmap run PIPELINE --json        (plugin pbx, kind asterisk-cdr,
                                      extension-prefix +453366, fresh store)
  sqlite3 FRESH.db ".import --csv Master.csv t"   (plain 18-column TEXT table
                                      created beforehand, not timed)
The order within a pair alternates each round. Prints each round's times, the
median ratio callmap/sqlite and callmap's peak RSS (from --json's peak_rss_kb,
cross-checked with /usr/bin/time -f %M when present).

Options (environment variable in brackets):
  -r, --rounds N     rounds (pairs of runs) [BENCH_ROUNDS, default 5]
  -n, --lines N      lines in Master.csv [BENCH_LINES, default 1000000]
  -d, --dir DIR      work directory for the CSV, stores, logs
                     [BENCH_DIR, default /tmp/callmap-bench]
  -c, --callmap EXE  callmap executable; its plugins are taken from
                     EXE/../../lib/callmap/plugins and both are copied into DIR
                     first, so a concurrent rebuild cannot change them mid-run
                     [CALLMAP, default <repo>/build/bin/callmap]
      --build        first build the current sources (RelWithDebInfo) into
                     DIR/build and benchmark that callmap (not <repo>/build)
      --seed N       generator seed [BENCH_SEED, default 1]
      --regen        regenerate Master.csv even if DIR has a matching one
      --keep         keep the last round's databases
      --check        exit 4 if the target is missed (median ratio <= 1.0 and
                     peak RSS < 64 MB)
  -h, --help         this help

Also shown: user+sys CPU seconds of each run and their ratio (via
/usr/bin/time), which other load on the machine disturbs less than wall time.
Per-round results go to DIR/results.tsv (round, callmap_s, sqlite_s, ratio,
cm_rss_json_kb, cm_rss_time_kb, sqlite_rss_kb, callmap_elapsed_s, cm_cpu_s,
sq_cpu_s, cpu_ratio).

Exit status: 0 done, 1 the generator or a run failed, 2 bad usage,
4 target missed (only with --check).
EOF
}

die() { echo "bench: ERROR: $*" >&2; exit 1; }
need_arg() { [[ $# -ge 2 && -n $2 ]] || { echo "bench: $1 needs a value" >&2; exit 2; }; }

while [[ $# -gt 0 ]]; do
    case $1 in
    -r | --rounds) need_arg "$@"; rounds=$2; shift 2 ;;
    -n | --lines) need_arg "$@"; lines=$2; shift 2 ;;
    -d | --dir) need_arg "$@"; dir=$2; shift 2 ;;
    -c | --callmap) need_arg "$@"; callmap=$2; shift 2 ;;
    --seed) need_arg "$@"; seed=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    --build) build=1; shift ;;
    --keep) keep=1; shift ;;
    --check) check=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
for v in rounds lines seed; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { echo "bench: --$v must be a positive integer" >&2; exit 2; }
done

# ---- setup ------------------------------------------------------------------
dir=$(realpath -m -- "$dir")
case "$dir/" in "$repo"/*) die "work dir $dir is inside the repository; use another --dir" ;; esac
mkdir -p "$dir" || die "cannot create $dir"
command -v "$sqlite" >/dev/null || die "sqlite3 not found"
if [[ $build == 1 ]]; then
    echo "building $repo into $dir/build ..."
    { cmake -S "$repo" -B "$dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$dir/build.log" 2>&1 &&
        cmake --build "$dir/build" -j"$(nproc)" >>"$dir/build.log" 2>&1; } ||
        { tail -n 30 "$dir/build.log" >&2; die "the build failed (see $dir/build.log)"; }
    callmap=$dir/build/bin/callmap
fi
command -v cc >/dev/null || die "no C compiler (cc) for the generator"
[[ -x $callmap ]] || die "callmap not found at $callmap (build it: cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build -j2)"
plugins=$(cd "$(dirname "$callmap")/.." && pwd)/lib/callmap/plugins
[[ -d $plugins ]] || die "no plugin folder $plugins next to $callmap"

timebin=
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    timebin=/usr/bin/time
fi

# A private copy of callmap and its plugins (it finds plugins next to itself).
inst=$dir/callmap-snapshot
rm -rf "$inst"
mkdir -p "$inst/bin" "$inst/lib/callmap/plugins"
cp "$callmap" "$inst/bin/callmap"
cp "$plugins"/*.so "$inst/lib/callmap/plugins/" || die "no plugins in $plugins"
cm=$inst/bin/callmap

# ---- the data ---------------------------------------------------------------
gen=$dir/gen_master
if [[ ! -x $gen || $here/gen_master.c -nt $gen ]]; then
    cc -O2 -std=c11 -Wall -o "$gen" "$here/gen_master.c" || die "cannot compile the generator"
fi
csv=$dir/Master.csv
stamp="lines=$lines seed=$seed gen=$(cksum <"$here/gen_master.c" | cut -d' ' -f1)"
if [[ $regen == 1 || ! -f $csv || ! -f $csv.stamp || $(cat "$csv.stamp") != "$stamp" ]]; then
    rm -f "$csv" "$csv.stamp"
    echo "generating $lines lines into $csv ..."
    t0=$(date +%s%N)
    "$gen" "$lines" "$seed" >"$csv.tmp" || { rm -f "$csv.tmp"; die "the generator failed"; }
    t1=$(date +%s%N)
    mv "$csv.tmp" "$csv"
    echo "$stamp" >"$csv.stamp"
    awk -v ns=$((t1 - t0)) 'BEGIN { printf "  generated in %.2f s\n", ns / 1e9 }'
else
    echo "reusing $csv ($stamp)"
fi
got=$(wc -l <"$csv")
[[ $got -eq $lines ]] || die "$csv has $got lines, expected $lines"
bytes=$(stat -c %s "$csv")
awk -v b="$bytes" -v n="$lines" 'BEGIN { printf "  %d lines, %.1f MB, %.1f bytes/line\n", n, b / 1e6, b / n }'

pipeline=$dir/bench.xml
cmdb=$dir/callmap.db
sqdb=$dir/sqlite.db
cat >"$pipeline" <<EOF
<pipeline name="bench">
  <store path="$cmdb"/>
  <source id="pbx-bench" plugin="pbx" kind="asterisk-cdr" timezone="Europe/Copenhagen">
    <input path="$csv"/>
    <option name="extension-prefix" value="+453366"/>
  </source>
</pipeline>
EOF
cols=$(seq -f 'c%g TEXT' -s ', ' 1 18)

rmdb() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1.lock"; }

# Runs "$@" timed; sets $secs (wall clock), $rss (peak KB) and $cpu (user+sys
# seconds) -- the last two from /usr/bin/time, or - without it.
timed() {
    local out=$1 err=$2
    shift 2
    local t0 t1 rc=0
    if [[ -n $timebin ]]; then
        t0=$(date +%s%N)
        "$timebin" -f '%M %U %S' -o "$dir/time.out" "$@" >"$out" 2>"$err" || rc=$?
        t1=$(date +%s%N)
        read -r rss cpu < <(tail -n 1 "$dir/time.out" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }')
    else
        t0=$(date +%s%N)
        "$@" >"$out" 2>"$err" || rc=$?
        t1=$(date +%s%N)
        rss=- cpu=-
    fi
    secs=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }')
    return $rc
}

json_num() { grep -o "\"$1\":[0-9.]*" "$2" | head -n 1 | cut -d: -f2; }

run_callmap() {
    rmdb "$cmdb"
    sync
    timed "$dir/callmap.json" "$dir/callmap.err" "$cm" -q run --json "$pipeline" ||
        { cat "$dir/callmap.err" >&2; die "callmap run failed (round $r; see $dir/callmap.err)"; }
    local loaded rejected
    loaded=$(json_num records_loaded "$dir/callmap.json")
    rejected=$(json_num records_rejected "$dir/callmap.json")
    cm_elapsed=$(json_num elapsed_s "$dir/callmap.json")
    cm_rss_json=$(json_num peak_rss_kb "$dir/callmap.json")
    [[ -n $loaded && -n $rejected && -n $cm_rss_json ]] ||
        die "cannot read callmap's --json summary: $(cat "$dir/callmap.json")"
    [[ $((loaded + rejected)) -eq $lines ]] ||
        die "callmap loaded $loaded and rejected $rejected of $lines records"
    [[ $rejected -eq 0 ]] || echo "  warning: callmap rejected $rejected records" >&2
    cm_secs=$secs cm_rss_time=$rss cm_cpu=$cpu
}

run_sqlite() {
    rmdb "$sqdb"
    "$sqlite" "$sqdb" "CREATE TABLE t($cols);" || die "sqlite3 cannot create $sqdb"
    sync
    timed "$dir/sqlite.out" "$dir/sqlite.err" "$sqlite" "$sqdb" ".import --csv '$csv' t" ||
        { cat "$dir/sqlite.err" >&2; die "sqlite3 .import failed (round $r)"; }
    if [[ -s $dir/sqlite.err ]]; then
        echo "  sqlite3 said:" >&2
        head -n 5 "$dir/sqlite.err" >&2
    fi
    local n
    n=$("$sqlite" "$sqdb" "SELECT count(*) FROM t") || die "sqlite3 cannot count $sqdb"
    [[ $n -eq $lines ]] || die "sqlite3 imported $n rows, expected $lines"
    sq_secs=$secs sq_rss_time=$rss sq_cpu=$cpu
}

# ---- the rounds -------------------------------------------------------------
echo "callmap: $callmap ($("$cm" --version))"
echo "sqlite3: $(command -v "$sqlite") ($("$sqlite" --version | cut -d' ' -f1))"
echo "machine: $(nproc) cores, $(uname -sr); peak RSS via --json${timebin:+ and /usr/bin/time}"
echo "warm-up read of $csv ..."
cat "$csv" >/dev/null

results=$dir/results.tsv
: >"$results"
printf '\n%-5s %-15s %9s %9s %7s | %8s %8s %7s | %12s %13s %12s\n' round order callmap_s sqlite_s ratio \
    cm_cpu_s sq_cpu_s cpu_rat cm_rss_json cm_rss_time sqlite_rss
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then
        order=callmap,sqlite
        run_callmap
        run_sqlite
    else
        order=sqlite,callmap
        run_sqlite
        run_callmap
    fi
    ratio=$(awk -v a="$cm_secs" -v b="$sq_secs" 'BEGIN { printf "%.3f", a / b }')
    cpu_ratio=$(awk -v a="$cm_cpu" -v b="$sq_cpu" 'BEGIN { if (a == "-" || b + 0 == 0) print "-"; else printf "%.3f", a / b }')
    printf '%-5s %-15s %9s %9s %7s | %8s %8s %7s | %9s KB %10s KB %9s KB\n' "$r" "$order" "$cm_secs" "$sq_secs" \
        "$ratio" "$cm_cpu" "$sq_cpu" "$cpu_ratio" "$cm_rss_json" "$cm_rss_time" "$sq_rss_time"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$cm_secs" "$sq_secs" "$ratio" "$cm_rss_json" \
        "$cm_rss_time" "$sq_rss_time" "$cm_elapsed" "$cm_cpu" "$sq_cpu" "$cpu_ratio" >>"$results"
done
[[ $keep == 1 ]] || { rmdb "$cmdb"; rmdb "$sqdb"; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med_cm=$(cut -f2 "$results" | median)
med_sq=$(cut -f3 "$results" | median)
med_ratio=$(cut -f4 "$results" | median)
max_json=$(cut -f5 "$results" | sort -n | tail -n 1)
max_time=$(cut -f6 "$results" | sort -n | tail -n 1)
med_internal=$(cut -f8 "$results" | median)
med_cpu_ratio=-
[[ -n $timebin ]] && med_cpu_ratio=$(cut -f11 "$results" | median)

echo
echo "median callmap      $med_cm s  (its own elapsed_s: $med_internal s)"
echo "median sqlite3      $med_sq s"
echo "MEDIAN RATIO        $med_ratio  (callmap / sqlite3 .import, wall clock, per-round ratios)"
echo "median CPU ratio    $med_cpu_ratio  (user+sys; less sensitive to other load on the machine)"
awk -v j="$max_json" -v t="$max_time" 'BEGIN {
    printf "callmap PEAK RSS    %d KB = %.1f MB (--json peak_rss_kb, max over rounds)", j, j / 1024
    if (t != "-") printf "; /usr/bin/time: %d KB = %.1f MB", t, t / 1024
    printf "\n" }'
rss_mb=$(awk -v j="$max_json" -v t="$max_time" 'BEGIN { m = j; if (t != "-" && t + 0 > m) m = t; printf "%.1f", m / 1024 }')
ok=$(awk -v r="$med_ratio" -v m="$rss_mb" 'BEGIN { print (r <= 1.0 && m < 64) ? 1 : 0 }')
if [[ $ok == 1 ]]; then
    echo "target (ratio <= 1.0, peak RSS < 64 MB): MET"
else
    echo "target (ratio <= 1.0, peak RSS < 64 MB): MISSED (ratio $med_ratio, RSS $rss_mb MB)"
fi
echo "per-round results: $results"
[[ $check == 1 && $ok != 1 ]] && exit 4
exit 0
