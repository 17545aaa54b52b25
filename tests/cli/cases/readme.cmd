# The proctrail command lines of the README's "Using it", run as written
# on the test database ("sudo build/query/proctrail" is the binary under
# test; the export's cursor file goes to a temporary directory): the
# exit status and the first lines of each
export PROCTRAIL_DB="$DATA/who.db"
root=$(cd "$(dirname "$case")/../../.." && pwd)
sed -n '/^## Using it/,/^Useful/p' "$root/README.md" |
    sed -n 's|^    sudo build/query/proctrail ||p' | sed 's/ *# .*$//' |
while IFS= read -r args; do
	echo "\$ proctrail $args"
	args=$(printf '%s' "$args" | sed "s|/var/lib/proctrail/|$tmp/|g")
	eval "set -- $args"
	"$PT" "$@" >"$tmp/o" 2>&1
	echo "rc=$?"
	head -n 4 "$tmp/o" | cut -c1-160
done
