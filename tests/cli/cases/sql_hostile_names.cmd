# Column names come from the statement (or a hostile database's view):
# escaped like values in tables, valid JSON keys, quoted CSV headers
proctrail sql "SELECT 1 AS \"a$(printf '\033')]0;pwn$(printf '\007')b\""
proctrail --json sql "SELECT 1 AS \"a$(printf '\033')b\""
