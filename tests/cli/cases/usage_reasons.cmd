# Usage errors say why; help of an unknown command is an error; a bad
# pinned "now" does not break --help; option errors name the program
proctrail help nosuch >/dev/null; echo "rc=$?"
proctrail search extra-arg >/dev/null; echo "rc=$?"
proctrail show >/dev/null; echo "rc=$?"
proctrail ancestors 1 2 >/dev/null; echo "rc=$?"
proctrail search --user 99999999999; echo "rc=$?"
PROCTRAIL_NOW=garbage proctrail --help >/dev/null; echo "rc=$?"
proctrail --bogus 2>&1 >/dev/null | head -1
