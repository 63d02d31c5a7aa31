#!/usr/bin/env bash
# ctest truth.demo: the generated municipality (demo scale, bad data at the
# default rate), loaded with pipelines/demo.xml, must give exactly the
# generator's truth.tsv (tests/truth/db-to-tsv.sql computes the same keys
# from the store); the run must exit 1 because of the deliberately truncated
# archive member (the only file that fails), and every reject must say why.
# Twice: with the defaults, and with another seed over another period.
source "$(dirname "$0")/common.sh"

# check LABEL ARGS...: generates with ARGS, loads, compares
check() {
    local label=$1; shift
    local data=$work/$label db=$work/$label.db
    gen "$data" "$@"
    local truth=$data/truth.tsv
    [ -s "$truth" ] || { fail "$label: callmap-gen wrote no $truth"; return; }
    [ -s "$data/truth.json" ] || fail "$label: callmap-gen wrote no truth.json"

    # The truth itself: sorted byte-wise, and with the bad data the spec asks for.
    sort -c "$truth" 2>/dev/null || fail "$label: truth.tsv is not sorted byte-wise (LC_ALL=C sort)"
    local truth_failed truth_rejects
    truth_failed=$(grep -c "^file	.*	status	failed$" "$truth")
    truth_rejects=$(grep -c "^reject	" "$truth")
    [ "$truth_failed" -eq 1 ] ||
        fail "$label: truth.tsv has $truth_failed failed files; with bad data on, exactly one (the truncated member) should fail"
    [ "$truth_rejects" -gt 0 ] || fail "$label: truth.tsv expects no rejects, though bad data is on"

    load "$data" "$db" "$work/$label.log"
    local expected_status=0
    [ "$truth_failed" -gt 0 ] && expected_status=1
    if [ "$status" -ne "$expected_status" ]; then
        fail "$label: callmap run exited with status $status, expected $expected_status; its output:"
        head -n 60 "$work/$label.log"
    fi

    compare_truth "$db" "$data" "$truth" "$label"

    # Every reject says why, and the failed file says why it failed.
    local empty no_error run_status expected_run=ok
    empty=$(sqlite3 "$db" "SELECT count(*) FROM rejects WHERE trim(coalesce(reason, '')) = ''")
    [ "$empty" = 0 ] || fail "$label: $empty rejects have no reason"
    no_error=$(sqlite3 "$db" "SELECT count(*) FROM source_files WHERE status = 'failed' AND trim(coalesce(error, '')) = ''")
    [ "$no_error" = 0 ] || fail "$label: $no_error failed files have no error"
    run_status=$(sqlite3 "$db" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")
    [ "$expected_status" = 1 ] && expected_run=failed
    [ "$run_status" = "$expected_run" ] || fail "$label: runs.status is '$run_status', expected '$expected_run'"

    # A second run reads nothing new: the files are skipped, except the failed
    # one, which is tried again and fails again (status 1 again); the store's
    # keys stay the same.
    load "$data" "$db" "$work/$label-rerun.log"
    [ "$status" -eq "$expected_status" ] ||
        fail "$label: the second run exited with status $status, expected $expected_status"
    compare_truth "$db" "$data" "$truth" "$label-rerun"
}

# The demo as the README runs it: defaults (demo scale, two months from
# 2025-03 with the spring DST change and Easter, seed 1, bad rate 0.003).
check demo
# Another seed over the autumn DST change, Christmas and a new year.
check autumn --seed 2 --start 2025-10 --months 3

finish truth.demo
