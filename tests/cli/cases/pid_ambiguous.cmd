# pid 300 has two instances: the running one wins, and stderr says so
proctrail ancestors 300
