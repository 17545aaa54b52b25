# filters are data, never SQL
proctrail search --argv "'; DROP TABLE process; --"
proctrail search --comm "x' OR '1'='1"; echo "rc=$?"
proctrail search --exe '") OR 1=1 --'; echo "rc=$?"
proctrail sql 'SELECT count(*) AS n FROM process'
