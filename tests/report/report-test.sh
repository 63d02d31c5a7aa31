#!/usr/bin/env bash
# ctest report.chromium: `callmap report` over the generated municipality,
# opened in headless Chromium. The page must load without a console error
# (its Content-Security-Policy forbids scripts and every network request, so
# a violation shows there), render to a screenshot, and show the overview,
# the potential ranking and the data-quality section with the numbers the
# store holds (read from the DOM Chromium dumps, data-v attributes and the
# visible text). Also: a Danish report with --compare, and a unit name with
# HTML in it that must come out as text.
#
# Environment: CALLMAP, CALLMAP_GEN (the binaries), PIPELINES (the
# pipelines folder), OUT (where the report and screenshot are kept).
# Skipped (exit 77) when /usr/bin/chromium is not installed.
set -u
: "${CALLMAP:?}" "${CALLMAP_GEN:?}" "${PIPELINES:?}"
OUT=${OUT:-$(mktemp -d)}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
    echo "skipped: no chromium ($CHROMIUM; Debian: apt-get install chromium)"
    exit 77
fi
mkdir -p "$OUT"
work=$(mktemp -d "${TMPDIR:-/tmp}/callmap-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# ------------------------------------------------------------ the store
"$CALLMAP_GEN" --out "$work/data" >/dev/null 2>&1 || { echo "FAIL: callmap-gen"; exit 1; }
db=$work/demo.db
export CALLMAP_DATA=$work/data CALLMAP_DB=$db
"$CALLMAP" run -q "$PIPELINES/demo.xml" >"$work/run.log" 2>&1
[ $? -le 1 ] || { echo "FAIL: callmap run"; cat "$work/run.log"; exit 1; }
q() { sqlite3 -batch "$db" "$@"; }

# The report refuses a store without the analysis tables, naming the command
# (the demo pipeline analyses at the end of its run: a copy without them).
cp "$db" "$work/bare.db"
sqlite3 "$work/bare.db" "DROP TABLE IF EXISTS unit_potential_reasons"
CALLMAP_DB=$work/bare.db "$CALLMAP" report "$PIPELINES/demo.xml" -o "$work/none.html" 2>"$work/err"
st=$?
[ $st -eq 1 ] || fail "report before analyze exited $st, expected 1"
grep -q 'run `callmap analyze' "$work/err" || fail "report before analyze: no hint to analyze: $(cat "$work/err")"
[ ! -e "$work/none.html" ] || fail "report before analyze wrote a file"

# The top unit of the ranking gets a name with HTML in it (escaped on the page).
"$CALLMAP" analyze "$PIPELINES/demo.xml" >"$work/analyze.log" 2>&1 || { echo "FAIL: callmap analyze"; cat "$work/analyze.log"; exit 1; }
top=$(q "SELECT unit_id FROM unit_potential ORDER BY rank LIMIT 1")
[ -n "$top" ] || { echo "FAIL: unit_potential is empty"; exit 1; }
q "UPDATE org_units SET name = '<b>\"Bad\" & name</b>' WHERE unit_id = '$top'"

html=$OUT/report.html
"$CALLMAP" report "$PIPELINES/demo.xml" -o "$html" --salt test 2>"$work/err" ||
    { echo "FAIL: callmap report: $(cat "$work/err")"; exit 1; }
"$CALLMAP" report "$PIPELINES/demo.xml" -o "$OUT/report-da.html" --salt test --lang da \
    --compare 2025-03 2025-04 2>"$work/err" || fail "callmap report --lang da --compare: $(cat "$work/err")"

# ------------------------------------------------------------ Chromium
chrome() { # chrome LOG ARGS...: headless, isolated, offline; stdout is the result
    local log=$1; shift
    local profile
    profile=$(mktemp -d "$work/profile.XXXXXX")
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
        --enable-logging=stderr --v=0 "$@" 2>"$log"
}
chrome "$work/dom.log" --dump-dom "file://$html" >"$work/dom.html" || fail "chromium --dump-dom failed"
chrome "$work/shot.log" --screenshot="$OUT/report.png" --window-size=1280,2000 --hide-scrollbars \
    "file://$html" >/dev/null || fail "chromium --screenshot failed"
chrome "$work/dom-da.log" --dump-dom "file://$OUT/report-da.html" >"$work/dom-da.html" ||
    fail "chromium --dump-dom (da) failed"

for log in dom shot dom-da; do
    # console messages, script errors and blocked requests (CSP) are logged as these
    if grep -E 'CONSOLE|Uncaught|Refused to|Content Security Policy|net::ERR' "$work/$log.log" >"$work/bad"; then
        fail "the page logged errors ($log):"
        head -5 "$work/bad" | sed 's/^/    /'
    fi
done
size=$(stat -c %s "$OUT/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || fail "the screenshot $OUT/report.png is missing or blank ($size bytes)"
grep -q '</html>' "$work/dom.html" || fail "no DOM dumped"
grep -qi '<script' "$html" && fail "the report holds a script"
grep -Eo '(src|href)="[a-z]+:[^"]*"' "$html" | grep -v '^href="#' >"$work/ext" && fail "the report refers outside itself: $(head -3 "$work/ext")"

# ------------------------------------------------------------ the numbers
dom=$work/dom.html
section() { grep -o "<section id=\"$1\".*" "$2" | head -1 | sed 's|</section>.*||'; }
section overview "$dom" >"$work/overview"
section ranking "$dom" >"$work/ranking"
section quality "$dom" >"$work/quality"
for s in overview ranking quality; do [ -s "$work/$s" ] || fail "no $s section in the DOM"; done
# data-v of key K in the row of data-unit/data-source U of a section file
row() { grep -o "<tr[^>]* data-$1=\"$2\".*" "$3" | sed 's|</tr>.*||'; }
val() { grep -o "data-k=\"$1\" data-v=\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= 1e-6 * (1 + (b < 0 ? -b : b))) }'; }
check() { # check WHAT GOT EXPECTED
    near "$2" "$3" || fail "$1: the page says '$2', the store '$3'"
}

# Overview: each unit's four data points, as the analysis tables give them.
months=$(q "SELECT count(DISTINCT month) FROM unit_month")
units=$(grep -o '<tr data-unit="[^"]*"' "$work/overview" | cut -d'"' -f2)
[ "$(echo "$units" | grep -c .)" -ge 2 ] || fail "the overview shows fewer than two units: $units"
echo "$units" | grep -qx "$top" || fail "the overview lacks the top-ranked unit $top"
for u in $units; do
    r=$(row unit "$u" "$work/overview")
    check "overview $u calls a month" "$(val calls_month <<<"$r")" \
        "$(q "SELECT sum(inbound) * 1.0 / $months FROM unit_month WHERE unit_id = '$u'")"
    check "overview $u transferred share" "$(val transferred_share <<<"$r")" \
        "$(q "SELECT sum(transferred_share * answered) / sum(answered) FROM unit_month WHERE unit_id = '$u' AND transferred_share IS NOT NULL")"
    check "overview $u missed share" "$(val missed_share <<<"$r")" \
        "$(q "SELECT sum(missed_share * inbound) / sum(inbound) FROM unit_month WHERE unit_id = '$u' AND missed_share IS NOT NULL")"
    check "overview $u employees over the threshold" "$(val employees_over_threshold <<<"$r")" \
        "$(q "SELECT sum(employees_over_threshold) * 1.0 / $months FROM unit_month WHERE unit_id = '$u'")"
    # and as a manager reads it: the calls a month rounded, with a thousands separator
    text=$(q "SELECT printf('%,d', CAST(round(sum(inbound) * 1.0 / $months) AS INTEGER)) FROM unit_month WHERE unit_id = '$u'")
    grep -q "data-k=\"calls_month\" data-v=\"[^\"]*\">$text<" <<<"$r" || fail "overview $u: calls a month not shown as $text"
done

# Ranking: in the analysis' order, with the saving range and every reason.
first=$(grep -o '<tr[^>]* data-unit="[^"]*"' "$work/ranking" | head -1 | sed 's/.*data-unit="//; s/"$//')
[ "$first" = "$top" ] || fail "ranking: first row is '$first', unit_potential ranks '$top' first"
r=$(row unit "$top" "$work/ranking")
saving=$(grep -o 'data-k="saving" data-v="[^"]*"' <<<"$r" | cut -d'"' -f4)
check "ranking saving low" "${saving%%..*}" "$(q "SELECT saving_dkk_low FROM unit_potential WHERE unit_id = '$top'")"
check "ranking saving high" "${saving##*..}" "$(q "SELECT saving_dkk_high FROM unit_potential WHERE unit_id = '$top'")"
range=$(q "SELECT printf('%,d', CAST(round(saving_dkk_low) AS INTEGER)) || '–' || printf('%,d', CAST(round(saving_dkk_high) AS INTEGER)) FROM unit_potential WHERE unit_id = '$top'")
grep -q "$range" <<<"$r" || fail "ranking: the saving range $range DKK is not shown for $top"
check "ranking calls a year" "$(val calls_per_year <<<"$r")" \
    "$(q "SELECT round(calls_per_year) FROM unit_potential WHERE unit_id = '$top'")"
n_reasons=$(grep -o '<li data-datapoint="' <<<"$r" | wc -l)
[ "$n_reasons" -eq "$(q "SELECT count(*) FROM unit_potential_reasons WHERE unit_id = '$top'")" ] ||
    fail "ranking: $top shows $n_reasons reasons, the store has $(q "SELECT count(*) FROM unit_potential_reasons WHERE unit_id = '$top'")"
rows=$(grep -o '<tr[^>]* data-unit=' "$work/ranking" | wc -l)
[ "$rows" -ge "$(q "SELECT min(count(*), 25) FROM unit_potential")" ] || fail "ranking: only $rows rows"

# The name with HTML in it is text, not markup.
grep -q '<b>"Bad"' "$dom" && fail "a unit name was written as HTML"
grep -q '&lt;b&gt;"Bad" &amp; name&lt;/b&gt;' "$dom" || fail "the unit name with HTML in it is not shown as text"

# Data quality: per source, as the ledger and the tables say.
for s in $(q "SELECT DISTINCT source FROM source_files ORDER BY 1"); do
    r=$(row source "$s" "$work/quality")
    [ -n "$r" ] || { fail "data quality: no row for source $s"; continue; }
    check "quality $s files loaded" "$(val files_loaded <<<"$r")" \
        "$(q "SELECT count(*) FROM source_files WHERE source = '$s' AND status IN ('loaded', 'superseded')")"
    check "quality $s files failed" "$(val files_failed <<<"$r")" \
        "$(q "SELECT count(*) FROM source_files WHERE source = '$s' AND status = 'failed'")"
    check "quality $s records loaded" "$(val records_loaded <<<"$r")" \
        "$(q "SELECT total(records_loaded) FROM source_files WHERE source = '$s' AND status = 'loaded'")"
    check "quality $s records rejected" "$(val records_rejected <<<"$r")" \
        "$(q "SELECT total(records_rejected) FROM source_files WHERE source = '$s'")"
    if [ "$(q "SELECT count(*) FROM calls WHERE source = '$s'")" -gt 0 ]; then
        check "quality $s unattributed calls" "$(val calls_unattributed <<<"$r")" \
            "$(q "SELECT count(*) FROM calls WHERE source = '$s' AND unit_id IS NULL")"
    fi
done
got=$(grep -o 'data-k="rejects" data-v="[^"]*"' "$work/quality" | cut -d'"' -f4 | awk '{ s += $1 } END { print s + 0 }')
all=$(q "SELECT count(*) FROM rejects r JOIN source_files f ON f.id = r.source_file_id WHERE f.status IN ('loaded', 'failed')")
nreasons=$(grep -o 'data-k="rejects"' "$work/quality" | wc -l)
[ "$nreasons" -lt 15 ] && { [ "$got" -eq "$all" ] || fail "data quality: rejects by reason add up to $got, the store has $all"; }
[ "$nreasons" -gt 0 ] || fail "data quality: no rejects by reason (the generated data has some)"
failed=$(q "SELECT count(*) FROM source_files WHERE status = 'failed'")
[ "$(grep -o '<table class="failed">' "$work/quality" | wc -l)" -eq $((failed > 0)) ] || fail "data quality: the failed files are not listed"

# Employees by code only: no employee id, no name.
for e in $(q "SELECT employee_id FROM employees LIMIT 20"); do
    grep -q ">$e<" "$dom" && fail "employee id $e is on the page"
done
name=$(q "SELECT name FROM employees WHERE name IS NOT NULL LIMIT 1")
[ -n "$name" ] && grep -qF "$name" "$dom" && fail "an employee's name ($name) is on the page"

# ------------------------------------------------------------ Danish
da=$work/dom-da.html
grep -q '<html lang="da"' "$da" || fail "da: not a Danish page"
grep -q 'Datakvalitet' "$da" || fail "da: no Danish heading"
total=$(q "SELECT replace(printf('%,d', CAST(total(records_loaded) AS INTEGER)), ',', '.') FROM source_files WHERE status = 'loaded'")
grep -q ">$total<" "$da" || fail "da: the records loaded ($total, Danish grouping) are not shown"
grep -q 'data-k="calls_month:A"' "$da" && grep -q 'data-k="calls_month:B"' "$da" ||
    fail "da --compare: the overview lacks the periods A and B"

if [ $failures -gt 0 ]; then
    echo "report.chromium: $failures check(s) failed (report: $html, screenshot: $OUT/report.png)"
    exit 1
fi
echo "report.chromium: ok ($(echo "$units" | wc -w) units, screenshot $OUT/report.png)"
