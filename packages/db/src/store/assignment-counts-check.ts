/**
 * Every assignment count kept by triggers (table `assignment_counts`) that differs from a COUNT(*) of the rows, with
 * the counts missing on either side: columns department, plan_id, status, kept (null: no row kept), actual. Plain
 * SQL that SQLite and PostgreSQL both accept, so that both stores check their counts with one query.
 */
export const assignmentCountMismatchesSql = `
WITH truth AS (
  SELECT department, plan_id, status, cast(count(*) AS integer) AS n FROM assignments GROUP BY department, plan_id, status
  UNION ALL SELECT department, 0, status, cast(count(*) AS integer) FROM assignments GROUP BY department, status
  UNION ALL SELECT '*', plan_id, status, cast(count(*) AS integer) FROM assignments GROUP BY plan_id, status
  UNION ALL SELECT '*', 0, status, cast(count(*) AS integer) FROM assignments GROUP BY status)
SELECT c.department, c.plan_id, c.status, c.n AS kept, coalesce(t.n, 0) AS actual FROM assignment_counts c
  LEFT JOIN truth t ON t.department = c.department AND t.plan_id = c.plan_id AND t.status = c.status
  WHERE c.n <> coalesce(t.n, 0)
UNION ALL
SELECT t.department, t.plan_id, t.status, NULL, t.n FROM truth t
  LEFT JOIN assignment_counts c ON c.department = t.department AND c.plan_id = t.plan_id AND c.status = t.status
  WHERE c.n IS NULL`;
