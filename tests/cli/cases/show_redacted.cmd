# show says when an argv was rewritten by --redact rules, or a capture
# dropped because an exec raced it
cp "$DATA/fixture.db" "$tmp/r.db"
sqlite3 "$tmp/r.db" "UPDATE exec SET capture = capture | 16384 WHERE id = 4;
  UPDATE exec SET capture = 32768 | 256, cmdline = NULL WHERE id = 5"
proctrail --db "$tmp/r.db" show id:4 | grep -E "^20.*exec"
proctrail --db "$tmp/r.db" show id:5 | grep -E "^20.*exec"
