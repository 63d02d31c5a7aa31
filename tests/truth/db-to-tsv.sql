-- The keys of callmap-gen's truth.tsv (tools/gen/README.md), computed from a
-- store that loaded the generated folder with pipelines/demo.xml, in the
-- same format and order, so that
--
--   diff <(sqlite3 STORE < tests/truth/db-to-tsv.sql) DIR/truth.tsv
--
-- compares the store with the truth field by field.
--
-- Files are named by their path relative to the data folder (CALLMAP_DATA).
-- The data folder is the parameter @data when set, e.g.
--   sqlite3 -cmd ".parameter set @data \"'$DIR'\"" STORE < db-to-tsv.sql
-- else the folder that holds every source file (the longest common folder
-- of all paths: the generator's top folders hr/, tdc/, pbx/, contactcenter/
-- differ, so that is the data folder).
--
-- Lines are 'key<TAB>value' (fields joined by tabs), sorted byte-wise like
-- LC_ALL=C sort. Counts are integers, money integer øre, NULL is "-".
-- As in the generator's truth (tools/gen/README.md): every source file has
-- its three file lines, even with 0, and its status as stored (loaded,
-- failed, or superseded for an HR snapshot a newer one replaced);
-- unit_month, cost and unattributed lines whose value is 0 are left out;
-- month is the month of start_local; employees_over_100 counts employees
-- (calls with an employee_id) with over 100 inbound calls in the unit.

WITH RECURSIVE
  -- the longest common prefix of the smallest and the largest path is the
  -- common prefix of all of them
  ends(a, b) AS (SELECT min(path), max(path) FROM source_files),
  lcp(n) AS (
    SELECT 0
    UNION ALL
    SELECT n + 1 FROM lcp, ends
    WHERE n < length(a) AND substr(a, n + 1, 1) = substr(b, n + 1, 1)),
  common(prefix) AS (SELECT substr(a, 1, (SELECT max(n) FROM lcp)) FROM ends),
  -- cut back to the last '/' (the prefix may end inside a name)
  cut(prefix) AS (
    SELECT prefix FROM common
    UNION ALL
    SELECT substr(prefix, 1, length(prefix) - 1) FROM cut
    WHERE prefix <> '' AND substr(prefix, -1) <> '/'),
  auto_base(dir) AS (SELECT min(prefix) FROM cut WHERE prefix = '' OR substr(prefix, -1) = '/'),
  base(dir) AS (
    SELECT CASE
      WHEN @data IS NULL OR @data = '' THEN (SELECT dir FROM auto_base)
      WHEN substr(@data, -1) = '/' THEN @data
      ELSE @data || '/' END),
  files AS (
    SELECT f.id, f.source,
      CASE WHEN substr(f.path, 1, length(b.dir)) = b.dir
           THEN substr(f.path, length(b.dir) + 1) ELSE f.path END AS relpath,
      coalesce(nullif(f.member, ''), '-') AS member,
      f.records_loaded, f.records_rejected, f.status
    FROM source_files f, base b),
  unit_months AS (
    SELECT unit_id, substr(start_local, 1, 7) AS month,
      sum(direction = 'inbound') AS inbound,
      sum(direction = 'outbound') AS outbound,
      sum(direction = 'internal') AS internal,
      sum(outcome = 'answered') AS answered,
      sum(outcome = 'missed') AS missed,
      sum(transferred = 1) AS transferred
    FROM calls WHERE unit_id IS NOT NULL
    GROUP BY unit_id, month),
  employee_months AS (
    SELECT unit_id, substr(start_local, 1, 7) AS month, employee_id, count(*) AS n
    FROM calls
    WHERE unit_id IS NOT NULL AND employee_id IS NOT NULL AND direction = 'inbound'
    GROUP BY unit_id, month, employee_id),
  over_100 AS (
    SELECT u.unit_id, u.month,
      (SELECT count(*) FROM employee_months e
       WHERE e.unit_id = u.unit_id AND e.month = u.month AND e.n > 100) AS n
    FROM unit_months u),
  lines(line) AS (
    SELECT printf('file%s%s%s%s%s%s%sloaded%s%d', char(9), source, char(9), relpath, char(9), member, char(9), char(9), records_loaded) FROM files
    UNION ALL
    SELECT printf('file%s%s%s%s%s%s%srejected%s%d', char(9), source, char(9), relpath, char(9), member, char(9), char(9), records_rejected) FROM files
    UNION ALL
    SELECT printf('file%s%s%s%s%s%s%sstatus%s%s', char(9), source, char(9), relpath, char(9), member, char(9), char(9), status) FROM files
    UNION ALL
    SELECT printf('reject%s%s%s%s%s%s%s%d%s1', char(9), f.source, char(9), f.relpath, char(9), f.member, char(9), r.record, char(9))
    FROM rejects r JOIN files f ON f.id = r.source_file_id
    UNION ALL
    SELECT printf('unit_month%s%s%s%s%s%s%s%d', char(9), unit_id, char(9), month, char(9), k.key, char(9),
      CASE k.key WHEN 'inbound' THEN inbound WHEN 'outbound' THEN outbound
        WHEN 'internal' THEN internal WHEN 'answered' THEN answered
        WHEN 'missed' THEN missed WHEN 'transferred' THEN transferred END)
    FROM unit_months,
      (SELECT 'inbound' AS key UNION ALL SELECT 'outbound' UNION ALL SELECT 'internal'
       UNION ALL SELECT 'answered' UNION ALL SELECT 'missed' UNION ALL SELECT 'transferred') k
    UNION ALL
    SELECT printf('unit_month%s%s%s%s%semployees_over_100%s%d', char(9), unit_id, char(9), month, char(9), char(9), n)
    FROM over_100
    UNION ALL
    SELECT printf('cost%s%s%s%s%s%d', char(9), coalesce(unit_id, '-'), char(9), coalesce(supplier_cvr, '-'), char(9),
      CAST(round(sum(amount_dkk) * 100) AS INTEGER))
    FROM costs GROUP BY coalesce(unit_id, '-'), coalesce(supplier_cvr, '-')
    UNION ALL
    SELECT printf('unattributed%s%s%s%d', char(9), source, char(9), sum(unit_id IS NULL))
    FROM calls GROUP BY source)
SELECT line FROM lines
-- the file and reject lines always; the others only when not 0
WHERE line LIKE 'file%' OR line LIKE 'reject%' OR line NOT LIKE '%' || char(9) || '0'
ORDER BY line COLLATE BINARY;
