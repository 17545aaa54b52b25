# Schema introspection is reading: PRAGMA table_info, pragma_table_info(),
# and .schema as in sqlite3; setting a pragma, fts3_tokenizer() (it leaks
# and registers raw pointers) and load_extension() are refused
proctrail sql 'PRAGMA table_info(gap)'
proctrail sql "SELECT name, type FROM pragma_table_info('clock')"
proctrail sql .schema clock
proctrail sql 'PRAGMA user_version = 9'; echo "rc=$?"
proctrail sql "SELECT fts3_tokenizer('simple')"; echo "rc=$?"
proctrail sql "SELECT load_extension('x')"; echo "rc=$?"
