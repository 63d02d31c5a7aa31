#!/usr/bin/env bash
# Runs one end-to-end case: tests/e2e/cases/NAME/ holds input files and a
# `test` script of simple steps, so adding a case needs no code.
#
#   # comment
#   sh COMMAND...        run a shell command in the work folder (must succeed)
#   run ARGS...          run `callmap ARGS...`, keeping its stdout, stderr and status
#   exit N               the last run exited with status N
#   stdout-has TEXT      the last run's stdout contains TEXT
#   stderr-has TEXT      the last run's stderr contains TEXT
#   stderr-lacks TEXT    the last run's stderr does not contain TEXT
#   export NAME=VALUE    set an environment variable for the following runs
#                        (VALUE is expanded: $PWD is the work folder)
#   db PATH              the store that `sql` queries (default out/test.db)
#   sql QUERY            run QUERY with sqlite3; the lines that follow, each
#   > EXPECTED LINE      starting with "> ", are its exact output ('|'-separated)
#   snapshot NAME QUERY  save QUERY's output as NAME
#   same NAME QUERY      QUERY's output equals snapshot NAME
#
# Environment: CALLMAP (the binary), FIXTURES (tests/fixtures), and every
# case runs in a fresh copy of its folder, with the fixtures folder linked in.
set -u
case_dir=$(cd "$1" && pwd)
name=$(basename "$case_dir")
: "${CALLMAP:?set CALLMAP to the callmap binary}"
: "${FIXTURES:?set FIXTURES to tests/fixtures}"
work=$(mktemp -d "${TMPDIR:-/tmp}/callmap-e2e-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$case_dir/." "$work/"
ln -s "$FIXTURES" "$work/fixtures"
cd "$work" || exit 1
[ -f "$case_dir/test" ] || { echo "FAIL $name: no test file in $case_dir"; exit 1; }
export CALLMAP FIXTURES

db=out/test.db
status=0 out="" err="" failures=0 lineno=0
fail() { echo "FAIL $name (test line $lineno): $*"; failures=$((failures + 1)); }

pending_sql="" pending_expect="" pending_line=0
check_sql() {
    [ -z "$pending_sql" ] && return
    local got
    got=$(sqlite3 -batch -bail "$db" "$pending_sql" 2>&1)
    if [ "$got" != "$pending_expect" ]; then
        lineno=$pending_line
        fail "sql: $pending_sql"
        diff <(printf '%s\n' "$pending_expect") <(printf '%s\n' "$got") | sed 's/^/    /'
    fi
    pending_sql="" pending_expect=""
}

while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    if [[ "$line" == "> "* || "$line" == ">" ]]; then
        exp=${line#>}; exp=${exp# }
        if [ -z "$pending_expect" ] && [ -z "${started_expect:-}" ]; then pending_expect=$exp; else pending_expect+=$'\n'$exp; fi
        started_expect=1
        continue
    fi
    check_sql; started_expect=""
    case "$line" in
        ""|"#"*) ;;
        "sh "*)
            if ! bash -c "${line#sh }" >"$work/.sh.out" 2>&1; then
                fail "command failed: ${line#sh }"; sed 's/^/    /' "$work/.sh.out"
            fi ;;
        "run"|"run "*)
            args=(); [ "$line" = run ] || eval "args=(${line#run })"
            out=$("$CALLMAP" "${args[@]}" 2>"$work/.stderr"); status=$?
            err=$(cat "$work/.stderr") ;;
        "exit "*)
            [ "$status" = "${line#exit }" ] || { fail "exit status $status, expected ${line#exit }"; printf '    stderr: %s\n' "$err" | head -20; } ;;
        "stdout-has "*)
            [[ "$out" == *"${line#stdout-has }"* ]] || { fail "stdout lacks: ${line#stdout-has }"; printf '%s\n' "$out" | sed 's/^/    /' | head -30; } ;;
        "stderr-has "*)
            [[ "$err" == *"${line#stderr-has }"* ]] || { fail "stderr lacks: ${line#stderr-has }"; printf '%s\n' "$err" | sed 's/^/    /' | head -30; } ;;
        "stderr-lacks "*)
            [[ "$err" != *"${line#stderr-lacks }"* ]] || fail "stderr has: ${line#stderr-lacks }" ;;
        "db "*) db=${line#db } ;;
        "export "*) eval "export ${line#export }" ;;
        "sql "*) pending_sql=${line#sql }; pending_line=$lineno ;;
        "snapshot "*)
            rest=${line#snapshot }; snap=${rest%% *}
            sqlite3 -batch -bail "$db" "${rest#* }" >"$work/.snap.$snap" 2>&1 || fail "snapshot query failed" ;;
        "same "*)
            rest=${line#same }; snap=${rest%% *}
            if ! sqlite3 -batch -bail "$db" "${rest#* }" 2>&1 | diff "$work/.snap.$snap" - >"$work/.diff"; then
                fail "differs from snapshot $snap"; head -20 "$work/.diff" | sed 's/^/    /'
            fi ;;
        *) fail "unknown step: $line" ;;
    esac
done < "$case_dir/test"
check_sql

if [ $failures -gt 0 ]; then
    echo "$name: $failures check(s) failed"
    exit 1
fi
echo "$name: ok"
