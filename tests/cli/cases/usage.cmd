proctrail; echo "rc=$?"
proctrail frobnicate; echo "rc=$?"
proctrail tree; echo "rc=$?"
proctrail tree 1 2; echo "rc=$?"
proctrail tree 1 --depth -1; echo "rc=$?"
proctrail search --bogus
