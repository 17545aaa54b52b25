# sql behaves like sqlite3 where it can: options after the statement, "--"
# before a statement starting with "-", column names as written, floats
# as sqlite3 prints them, parameters bound as text (CAST for a number;
# compared with an INTEGER column, text converts by itself)
proctrail sql 'SELECT 0.1 AS "Point One", 1.0 AS one, 1e999 AS big, 2.5e-7 AS small' --csv
proctrail sql -- '-- a comment first
SELECT 42 AS answer'
proctrail sql 'SELECT ?1 AS p, typeof(?1) AS t, CAST(?1 AS INTEGER) AS i' 007
proctrail sql 'SELECT count(*) AS n FROM processes WHERE pid = ?1' 300
proctrail --json sql 'SELECT 1e999 AS "a""b", 2 AS "c,d"'
proctrail --csv sql 'SELECT 1 AS "a,b", 2 AS "x""y"'
