#!/usr/bin/env bash
# ctest truth.determinism: callmap-gen with the same seed writes the same
# bytes (every file, archives and truth included); another seed writes other
# data.
source "$(dirname "$0")/common.sh"

gen "$work/a" --seed 7
gen "$work/b" --seed 7
gen "$work/c" --seed 8

if ! diff -r "$work/a" "$work/b" >"$work/same.diff" 2>&1; then
    fail "two runs with --seed 7 differ:"
    head -n 40 "$work/same.diff"
fi
# The layout is the same for every seed; the contents are not.
(cd "$work/a" && find . -type f | sort) >"$work/a.files"
(cd "$work/c" && find . -type f | sort) >"$work/c.files"
if diff -q "$work/a.files" "$work/c.files" >/dev/null && diff -rq "$work/a" "$work/c" >/dev/null 2>&1; then
    fail "--seed 7 and --seed 8 wrote identical folders"
fi
for f in truth.tsv contactcenter/export; do
    if [ -e "$work/a/$f" ] && diff -rq "$work/a/$f" "$work/c/$f" >/dev/null 2>&1; then
        fail "--seed 7 and --seed 8 wrote the same $f"
    fi
done

finish truth.determinism
