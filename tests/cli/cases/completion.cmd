# Shell completion, made from the option tables: commands, each command's
# options (not those it refuses), values of a known form; then a usage
# error.
proctrail completion bash >"$tmp/c.bash"
bash -c '. "$1"
t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
      _proctrail; echo "$* -> ${COMPREPLY[*]}"; }
t proctrail s
t proctrail --db x.db --csv tr
t proctrail search --ar
t proctrail search --exit
t proctrail ancestors --d
t proctrail tree --d
t proctrail follow --u
t proctrail gaps --t
t proctrail report --top 5 p
t proctrail export --format ""
t proctrail export --kind e
t proctrail search --comm ""
t proctrail help ve
t proctrail completion z' _ "$tmp/c.bash"
proctrail completion zsh | head -3
proctrail completion fish; echo "rc=$?"
# the value of -o / --fields, and -o VALUE before the command
bash -c '. "$1"
t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
      _proctrail; echo "$* -> ${COMPREPLY[*]}"; }
t proctrail tree -o c
t proctrail --fields unit tr' _ "$tmp/c.bash"
