# the same records as CSV: one header, every field a column
proctrail export --since @0 --format csv --kind all
