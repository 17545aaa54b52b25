# Tables are printed 1000 rows at a time (bounded memory): one header,
# every row, the widths of the first 1000 kept after them
proctrail sql "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2500) SELECT x, 'r' || (x * x * x) AS name, 'end' AS e FROM c" |
	awk 'NR == 1 || NR == 1000 || NR == 1001 || NR == 1002 || NR == 2501 { print } END { print NR " lines" }'
