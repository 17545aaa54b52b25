proctrail sql 'SELEC 1'; echo "rc=$?"
proctrail sql 'SELECT ?1 + ?2' 1; echo "rc=$?"
proctrail sql '   '
