cd "$tmp" || exit
proctrail export; echo "rc=$?"
proctrail export --since 1h --format xml; echo "rc=$?"
proctrail export --since 1h --kind procs; echo "rc=$?"
proctrail export --cursor-file c --until now; echo "rc=$?"
proctrail export --since 'last tuesday'; echo "rc=$?"
printf 'garbage\n' >bad
proctrail export --cursor-file bad
