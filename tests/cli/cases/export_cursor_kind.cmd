cd "$tmp" || exit
# A cursor remembers its kinds; a first run with --since starts there.
proctrail export --cursor-file c --kind processes --since 2024-05-01T00:30 >/dev/null
cat c
proctrail export --cursor-file c --kind execs
