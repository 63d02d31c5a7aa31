#!/usr/bin/env bash
# ctest truth.analysis: the analysis tables of the generated municipality
# (pipelines/demo.xml computes them at the end of its run) against what the
# generator put in (truth.tsv and truth.json):
#
# 1. unit_month, at every level: inbound, answered, missed, abandoned and
#    transferred equal the truth's (truth.json unit_month_inbound: inbound
#    legs only, missed = missed, busy or voicemail, as unit_month defines
#    them) summed over the unit and every unit below it (truth.json's
#    hierarchy); nothing of the store's own calls is used for the expected
#    side. The two units the moving unit leaves and joins in mid-month are not
#    compared (the truth is monthly). Leaf units: employees_over_threshold
#    equals the truth's employees_over_100.
# 2. unit_potential: the units generated with a 'high' potential (many
#    people taking few calls, high missed and transferred shares) are the
#    top-ranked units of their type among the units with phones, each with
#    the reasons answerers_per_agent, missed_share and transferred_share; no
#    'low' unit has any of those three reasons.
# 3. Recomputing (callmap analyze) gives identical tables.
# Twice: the demo defaults, and another seed over three autumn months.
source "$(dirname "$0")/common.sh"

TABLES="unit_month unit_hour_weekday employee_month unit_potential unit_potential_reasons
unit_datapoints unit_month_datapoints subscription_usage analysis_datapoints analysis_parameters"

dump_tables() {
    local t
    for t in $TABLES; do
        echo "== $t"
        sqlite3 -batch -cmd ".mode quote" "$1" "SELECT * FROM $t"
    done
}

check() {
    local label=$1; shift
    local data=$work/$label db=$work/$label.db check=$work/$label-check.db
    gen "$data" "$@"
    load "$data" "$db" "$work/$label.log"
    if [ "$status" -gt 1 ]; then
        fail "$label: callmap run exited with status $status:"
        head -n 40 "$work/$label.log"
        return
    fi
    grep -q '^analysis: ' "$work/$label.log" ||
        fail "$label: the run printed no analysis line (does pipelines/demo.xml have <analysis>?)"

    awk -F'\t' '$1 == "unit_month" { print $2 "\t" $3 "\t" $4 "\t" $5 }' "$data/truth.tsv" >"$work/$label.um.tsv"
    local out=$work/$label.check.out
    if ! sqlite3 -batch -bail "$check" >"$out" 2>&1 <<EOF
CREATE TABLE truth (unit_id TEXT, month TEXT, key TEXT, value INTEGER);
.mode tabs
.import '$work/$label.um.tsv' truth
.mode list
ATTACH '$db' AS s;
CREATE TABLE units AS SELECT json_extract(value, '\$.unit_id') AS id,
  json_extract(value, '\$.parent') AS parent, json_extract(value, '\$.moves_to') AS moves_to,
  json_extract(value, '\$.type') AS type, json_extract(value, '\$.phones') AS phones,
  json_extract(value, '\$.behaviour.potential') AS potential
  FROM json_each(readfile('$data/truth.json'), '\$.units');
-- every unit with each unit below it (the hierarchy before any move)
CREATE TABLE sub AS WITH RECURSIVE r(top, id) AS (
  SELECT id, id FROM units UNION ALL
  SELECT r.top, u.id FROM r JOIN units u ON u.parent = r.id) SELECT * FROM r;
-- the units a mover leaves or joins: above it before the move or after, not both
CREATE TABLE skip AS WITH RECURSIVE
  old(m, id) AS (SELECT id, parent FROM units WHERE moves_to IS NOT NULL
    UNION ALL SELECT old.m, u.parent FROM old JOIN units u ON u.id = old.id WHERE u.parent IS NOT NULL),
  new(m, id) AS (SELECT id, moves_to FROM units WHERE moves_to IS NOT NULL
    UNION ALL SELECT new.m, u.parent FROM new JOIN units u ON u.id = new.id WHERE u.parent IS NOT NULL)
  SELECT id FROM (SELECT id FROM old EXCEPT SELECT id FROM new)
  UNION SELECT id FROM (SELECT id FROM new EXCEPT SELECT id FROM old);
-- the generator's inbound legs per direct unit and month (truth.json)
CREATE TABLE inb AS SELECT u.key AS unit_id, mo.key AS month,
  json_extract(mo.value, '\$.inbound') AS inbound, json_extract(mo.value, '\$.answered') AS answered,
  json_extract(mo.value, '\$.missed') AS missed, json_extract(mo.value, '\$.abandoned') AS abandoned,
  json_extract(mo.value, '\$.transferred') AS transferred
  FROM json_each(readfile('$data/truth.json'), '\$.unit_month_inbound') u, json_each(u.value) mo;
CREATE TABLE direct AS SELECT k.unit_id, k.month,
  coalesce(i.inbound, 0) AS inbound, coalesce(i.answered, 0) AS answered,
  coalesce(i.missed, 0) AS missed, coalesce(i.abandoned, 0) AS abandoned,
  coalesce(i.transferred, 0) AS transferred,
  coalesce((SELECT value FROM truth t WHERE t.unit_id = k.unit_id AND t.month = k.month AND t.key = 'employees_over_100'), 0) AS over
  FROM (SELECT unit_id, month FROM truth UNION SELECT unit_id, month FROM inb) k
  LEFT JOIN inb i ON i.unit_id = k.unit_id AND i.month = k.month;
CREATE TABLE expected AS SELECT sub.top AS unit_id, d.month, sum(d.inbound) AS inbound,
  sum(d.answered) AS answered, sum(d.missed) AS missed, sum(d.abandoned) AS abandoned,
  sum(d.transferred) AS transferred
  FROM direct d JOIN sub ON sub.id = d.unit_id GROUP BY 1, 2;
CREATE TABLE got AS SELECT unit_id, month, inbound, answered, missed, abandoned, transferred FROM s.unit_month;
SELECT 'compared', count(*) FROM got WHERE unit_id NOT IN skip;
SELECT 'skipped', group_concat(id, ' ') FROM (SELECT id FROM skip ORDER BY id);
SELECT 'missing', e.* FROM expected e WHERE e.unit_id NOT IN skip
  AND e.inbound + e.answered + e.missed + e.abandoned + e.transferred <> 0
  EXCEPT SELECT 'missing', * FROM got;
SELECT 'unexpected', g.* FROM got g WHERE g.unit_id NOT IN skip
  AND g.inbound + g.answered + g.missed + g.abandoned + g.transferred <> 0
  EXCEPT SELECT 'unexpected', * FROM expected;
SELECT 'over', d.unit_id, d.month, d.over, coalesce(m.employees_over_threshold, 0) FROM direct d
  LEFT JOIN s.unit_month m ON m.unit_id = d.unit_id AND m.month = d.month
  WHERE d.unit_id NOT IN (SELECT parent FROM units WHERE parent IS NOT NULL)
  AND d.over <> coalesce(m.employees_over_threshold, 0);
-- the ranking, per type, of the units with phones (not the contact center's queues)
CREATE TABLE ranked AS SELECT p.unit_id, p.rank, u.type, u.potential,
  row_number() OVER (PARTITION BY u.type ORDER BY p.rank) AS rank_in_type,
  (SELECT count(*) FROM units h WHERE h.type = u.type AND h.potential = 'high') AS highs,
  (SELECT group_concat(datapoint, ',') FROM s.unit_potential_reasons r WHERE r.unit_id = p.unit_id) AS reasons
  FROM s.unit_potential p JOIN units u ON u.id = p.unit_id
  WHERE u.potential IS NOT NULL AND u.phones NOT LIKE 'kc-%';
SELECT 'highs', count(*) FROM ranked WHERE potential = 'high';
SELECT 'high not on top', unit_id, type, rank_in_type, highs FROM ranked
  WHERE potential = 'high' AND rank_in_type > highs;
SELECT 'high without a reason', unit_id, reasons FROM ranked WHERE potential = 'high'
  AND NOT (',' || reasons || ',' LIKE '%,answerers_per_agent,%'
       AND ',' || reasons || ',' LIKE '%,missed_share,%'
       AND ',' || reasons || ',' LIKE '%,transferred_share,%');
SELECT 'low with a reason', unit_id, reasons FROM ranked WHERE potential = 'low'
  AND (',' || reasons || ',' LIKE '%,answerers_per_agent,%'
       OR ',' || reasons || ',' LIKE '%,missed_share,%'
       OR ',' || reasons || ',' LIKE '%,transferred_share,%');
EOF
    then
        fail "$label: the check's SQL failed:"
        cat "$out"
        return
    fi
    local compared skipped highs
    compared=$(awk -F'|' '$1 == "compared" { print $2 }' "$out")
    skipped=$(awk -F'|' '$1 == "skipped" { print $2 }' "$out")
    highs=$(awk -F'|' '$1 == "highs" { print $2 }' "$out")
    echo "$label: $compared unit-months compared (not: $skipped); $highs high-potential units"
    [ "${compared:-0}" -gt 20 ] || fail "$label: only ${compared:-0} unit-months compared"
    [ "$skipped" = "BYD-VA BYD-VE" ] || fail "$label: expected to skip the mover's two parents, skipped '$skipped'"
    [ "${highs:-0}" -ge 2 ] || fail "$label: only ${highs:-0} high-potential units ranked"
    if grep -Eq '^(missing|unexpected|over|high not on top|high without a reason|low with a reason)\|' "$out"; then
        fail "$label: the analysis differs from the truth (missing: expected; unexpected: unit_month):"
        grep -E '^(missing|unexpected|over|high not on top|high without a reason|low with a reason)\|' "$out" |
            sort | head -n 60
        echo "  the ranking:"
        sqlite3 -batch "$check" "SELECT rank, unit_id, type, potential, rank_in_type, reasons FROM ranked ORDER BY type, rank" |
            sed 's/^/    /' | head -n 60
    fi

    # recomputing gives the same tables
    dump_tables "$db" >"$work/$label.first"
    if ! CALLMAP_DATA=$data CALLMAP_DB=$db "$CALLMAP" analyze "$PIPELINE" >"$work/$label.analyze.log" 2>&1; then
        fail "$label: callmap analyze failed:"
        cat "$work/$label.analyze.log"
    fi
    dump_tables "$db" >"$work/$label.second"
    cmp -s "$work/$label.first" "$work/$label.second" ||
        fail "$label: callmap analyze gave other tables than the run: $(diff "$work/$label.first" "$work/$label.second" | head -n 10)"
    [ "$(grep -c . "$work/$label.first")" -gt 1000 ] || fail "$label: the analysis tables are nearly empty"
}

check demo
check autumn --seed 2 --start 2025-10 --months 3

finish truth.analysis
