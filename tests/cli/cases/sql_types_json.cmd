proctrail --json sql "SELECT 1 AS one, 'a\"b' AS s, NULL AS n, 1.5 AS r, x'00ff' AS b, ?1 AS p1, ?2 AS p2" 42 abc
