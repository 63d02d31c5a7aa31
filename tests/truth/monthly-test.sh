#!/usr/bin/env bash
# ctest truth.monthly: months delivered one after another give the same store
# as all months at once. The generated (three months, bad data on) folder's month folders (and monthly
# archives, HR snapshots included) are copied into a fresh CALLMAP_DATA one
# month at a time, running pipelines/demo.xml after each; the result must
# hold the same rows as a store that loaded everything in one run (every
# column except row ids, file ids and run-related ones, files compared by
# path relative to the data folder), the same rejects, warnings and
# counters, and match truth.tsv.
source "$(dirname "$0")/common.sh"

data=$work/data all_db=$work/all.db
gen "$data" --months 3
truth=$data/truth.tsv
[ -s "$truth" ] || { echo "FAIL: callmap-gen wrote no $truth"; exit 1; }
failed_file=$(awk -F'\t' '$1 == "file" && $5 == "status" && $6 == "failed" { print $3; exit }' "$truth")

load "$data" "$all_db" "$work/all.log"
[ "$status" -le 1 ] || { fail "the one-run load exited with status $status"; cat "$work/all.log"; }

months=$(cd "$data/hr" && ls -d [0-9][0-9][0-9][0-9]-[0-9][0-9] 2>/dev/null)
[ "$(echo "$months" | wc -w)" -ge 2 ] || { fail "fewer than two months in $data/hr: '$months'"; finish truth.monthly; }

inc=$work/monthly inc_db=$work/monthly.db
mkdir -p "$inc"
for m in $months; do
    # every folder named after the month, and every file named MONTH.*
    (cd "$data" && find . -mindepth 1 \( -name "$m" -o -name "$m.*" \) -prune -print | sort) >"$work/$m.list"
    [ -s "$work/$m.list" ] || fail "month $m: nothing to deliver"
    (cd "$data" && xargs -r cp -a --parents -t "$inc" <"$work/$m.list")
    load "$inc" "$inc_db" "$work/run-$m.log"
    expected=0
    [ -n "$failed_file" ] && [ -e "$inc/$failed_file" ] && expected=1
    if [ "$status" -ne "$expected" ]; then
        fail "the run after month $m exited with status $status, expected $expected:"
        head -n 40 "$work/run-$m.log"
    fi
done

# Every data file was delivered in some month.
(cd "$data" && find . -type f ! -name 'truth.*' ! -name 'README.txt' | sort) >"$work/all.files"
(cd "$inc" && find . -type f | sort) >"$work/monthly.files"
if ! cmp -s "$work/all.files" "$work/monthly.files"; then
    fail "files not in any month folder (- not delivered):"
    diff "$work/all.files" "$work/monthly.files" | head -n 20
fi

# dump DB DATA: every table's rows without ids, files named by relative path,
# the data folder in texts replaced by DATA/, each table's rows sorted
dump() {
    local db=$1 dir=$2/ table cols q
    local file="f.source || ':' || replace(f.path, '$dir', '') || ':' || coalesce(f.member, '-')"
    local norm="replace(%s, '$dir', 'DATA/')"
    echo "== source_files"
    sqlite3 -batch -cmd '.mode quote' "$db" \
        "SELECT $file, file_size, sha256, bytes, records_read, records_loaded, records_rejected,
                status, $(printf "$norm" error), plugin, plugin_version, kind
         FROM source_files f" | sort
    echo "== source_file_rows (counts)"
    sqlite3 -batch -cmd '.mode quote' "$db" \
        "SELECT $file, r.dataset, r.row_last - r.row_first + 1
         FROM source_file_rows r JOIN source_files f ON f.id = r.source_file_id" | sort
    echo "== source_file_counters"
    sqlite3 -batch -cmd '.mode quote' "$db" \
        "SELECT $file, c.name, c.value
         FROM source_file_counters c JOIN source_files f ON f.id = c.source_file_id" | sort
    for table in rejects warnings; do
        echo "== $table"
        sqlite3 -batch -cmd '.mode quote' "$db" \
            "SELECT $file, t.record, $(printf "$norm" "t.$( [ $table = rejects ] && echo reason || echo message)")
                    $( [ $table = rejects ] && echo ", t.raw")
             FROM $table t JOIN source_files f ON f.id = t.source_file_id" | sort
    done
    for table in calls costs invoices org_units employees number_assignments; do
        cols=$(sqlite3 -batch "$db" "SELECT group_concat('t.' || name, ', ') FROM pragma_table_info('$table')
                                    WHERE name NOT IN ('id', 'source_file_id')")
        echo "== $table"
        sqlite3 -batch -cmd '.mode quote' "$db" \
            "SELECT $file, $cols FROM $table t JOIN source_files f ON f.id = t.source_file_id" | sort
    done
}
dump "$all_db" "$data" >"$work/all.dump"
dump "$inc_db" "$inc" >"$work/monthly.dump"
if ! cmp -s "$work/all.dump" "$work/monthly.dump"; then
    fail "the month-by-month store differs from the one-run store (- one run, + month by month):"
    diff -U0 --label one-run --label monthly "$work/all.dump" "$work/monthly.dump" | grep -v '^@@' | head -n 60
fi
[ "$(grep -c . "$work/all.dump")" -gt 1000 ] || fail "the one-run store is nearly empty"

compare_truth "$inc_db" "$inc" "$truth" monthly

finish truth.monthly
