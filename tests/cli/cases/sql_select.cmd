proctrail sql 'SELECT id, pid, state, exit_code, argv FROM processes WHERE pid = ?1 ORDER BY id' 300
